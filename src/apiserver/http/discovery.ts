// Discovery documents: aggregated (apidiscovery.k8s.io/v2 and v2beta1) on /api and /apis, and
// the legacy APIVersions / APIGroupList / APIResourceList forms.
import type { ResourceType } from '../../api/index.js';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery version the Accept header asks for, if any (first match wins). */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const p = part.replace(/\s+/g, '');
    if (!p.includes('as=APIGroupDiscoveryList') || !p.includes('g=apidiscovery.k8s.io')) continue;
    if (p.includes('v=v2beta1')) return 'v2beta1';
    if (p.includes('v=v2')) return 'v2';
  }
  return undefined;
}

function groupsOf(types: ResourceType[]): Map<string, ResourceType[]> {
  const groups = new Map<string, ResourceType[]>();
  for (const t of types) {
    const list = groups.get(t.group) ?? [];
    list.push(t);
    groups.set(t.group, list);
  }
  return groups;
}

function aggregatedResource(t: ResourceType) {
  return {
    resource: t.plural,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: t.verbs,
    ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
    ...(t.categories.length ? { categories: t.categories } : {}),
    ...(t.subresources.length
      ? {
          subresources: t.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group, version: s.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** `/api` (core: true) or `/apis` (core: false) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(types: ResourceType[], opts: { core: boolean; version: 'v2' | 'v2beta1' }) {
  const groups = groupsOf(types);
  const items = [...groups.entries()]
    .filter(([g]) => (opts.core ? g === '' : g !== ''))
    .map(([g, ts]) => ({
      metadata: { ...(g ? { name: g } : {}), creationTimestamp: null },
      versions: [{ version: ts[0]!.version, resources: ts.map(aggregatedResource), freshness: 'Current' }],
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${opts.version}`, metadata: {}, items };
}

export function legacyApiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(name: string, version: string) {
  const gv = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [gv], preferredVersion: gv };
}

export function legacyGroupList(types: ResourceType[]) {
  const groups = [...groupsOf(types).entries()].filter(([g]) => g !== '').map(([g, ts]) => groupEntry(g, ts[0]!.version));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function legacyGroup(types: ResourceType[], group: string) {
  const ts = types.filter((t) => t.group === group);
  if (ts.length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, ts[0]!.version) };
}

export function legacyResourceList(types: ResourceType[], group: string, version: string) {
  const ts = types.filter((t) => t.group === group && t.version === version);
  if (ts.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const t of ts) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
    });
    for (const s of t.subresources) {
      resources.push({
        name: `${t.plural}/${s.name}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(s.group !== group ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
