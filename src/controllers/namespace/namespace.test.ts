import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Condition, Namespace } from '../../api/index.js';
import { eventually, type MemoryApi } from '../../testing/index.js';
import { controllersApi, pod } from '../_testing.js';
import type { RunningController } from '../_runner.js';
import { namespaceConditions } from './plan.js';
import { startNamespaceController } from './index.js';

const NOW = '2026-11-01T00:00:00Z';
const byType = (cs: Condition[]) => Object.fromEntries(cs.map((c) => [c.type, c]));

describe('namespaceConditions', () => {
  it('reports every condition False with upstream reasons and messages once content is gone', () => {
    const { conditions, changed } = namespaceConditions(undefined, { totals: { remaining: new Map(), finalizers: new Map(), deleteErrors: [] }, now: NOW });
    assert.ok(changed);
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
        ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
        ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
        ['NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'],
        ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
      ],
    );
  });

  it('names what remains and which finalizers hold it, sorted, as `kubectl describe ns` shows', () => {
    const totals = {
      remaining: new Map([
        ['pods.', 2],
        ['configmaps.', 1],
        ['deployments.apps', 1],
      ]),
      finalizers: new Map([['foregroundDeletion', 1]]),
      deleteErrors: [],
    };
    const c = byType(namespaceConditions(undefined, { totals, now: NOW }).conditions);
    assert.deepEqual([c.NamespaceContentRemaining?.status, c.NamespaceContentRemaining?.reason], ['True', 'SomeResourcesRemain']);
    assert.equal(c.NamespaceContentRemaining?.message, 'Some resources are remaining: configmaps. has 1 resource instances, deployments.apps has 1 resource instances, pods. has 2 resource instances');
    assert.equal(c.NamespaceFinalizersRemaining?.message, 'Some content in the namespace has finalizers remaining: foregroundDeletion in 1 resource instances');
  });

  it('moves lastTransitionTime only when a condition flips', () => {
    const first = namespaceConditions(undefined, { totals: { remaining: new Map([['pods.', 1]]), finalizers: new Map(), deleteErrors: [] }, now: NOW }).conditions;
    const same = namespaceConditions(first, { totals: { remaining: new Map([['pods.', 1]]), finalizers: new Map(), deleteErrors: [] }, now: '2026-11-01T00:01:00Z' });
    assert.equal(same.changed, false);
    const cleared = namespaceConditions(first, { totals: { remaining: new Map(), finalizers: new Map(), deleteErrors: [] }, now: '2026-11-01T00:02:00Z' }).conditions;
    assert.equal(byType(cleared).NamespaceContentRemaining?.lastTransitionTime, '2026-11-01T00:02:00Z');
    assert.equal(byType(cleared).NamespaceDeletionDiscoveryFailure?.lastTransitionTime, NOW);
  });
});

describe('namespace controller against the API', () => {
  let api: MemoryApi;
  let ctl: RunningController;
  before(async () => {
    api = await controllersApi();
    ctl = await startNamespaceController({ client: api.client, recheckMs: 100 });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });
  const c = () => api.client;
  const create = (name: string) => c().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } satisfies Namespace);
  const exists = async (name: string) => {
    try {
      await c().namespaces().get(name);
      return true;
    } catch {
      return false;
    }
  };

  it('relies on the API keeping spec.finalizers on updates and removing an emptied namespace through finalize', async () => {
    const ns = await create('keepfin');
    const updated = await c().namespaces().update({ ...ns, spec: { finalizers: [] } });
    assert.deepEqual(updated.spec?.finalizers, ['kubernetes'], 'the main endpoint ignores spec.finalizers');
    await c().namespaces().delete('keepfin');
    await eventually(async () => !(await exists('keepfin')));
  });

  it('empties a terminating namespace, waits for pods still terminating while reporting them, then removes it', async () => {
    await create('busy');
    await c().configMaps('busy').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'busy' } });
    // A pod on a node terminates gracefully: it stays until its node agent finishes it.
    await c().pods('busy').create(pod('runner', { namespace: 'busy', nodeName: 'node0' }));
    await c().namespaces().delete('busy');
    const reported = await eventually(async () => {
      const ns = await c().namespaces().get('busy');
      const cond = ns.status?.conditions?.find((x) => x.type === 'NamespaceContentRemaining');
      return cond?.status === 'True' ? ns : undefined;
    });
    assert.equal(reported.status?.phase, 'Terminating');
    assert.equal(reported.status?.conditions?.find((x) => x.type === 'NamespaceContentRemaining')?.message, 'Some resources are remaining: pods. has 1 resource instances');
    assert.equal((await c().configMaps('busy').list()).items.length, 0);
    const p = await c().pods('busy').get('runner');
    assert.ok(p.metadata.deletionTimestamp);
    // The node agent finishes the pod; the namespace goes right after.
    await c().pods('busy').delete('runner', { gracePeriodSeconds: 0 });
    await eventually(async () => !(await exists('busy')));
  });
});
