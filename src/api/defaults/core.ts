// core/v1 defaulting for the kinds without a PodSpec (pkg/apis/core/v1/defaults.go and the
// namespace strategy's create-time rules), and discovery/v1 EndpointSlice ports.
import type { Endpoints, Namespace, Node, Secret } from '../core.js';
import type { EndpointSlice } from '../discovery.js';

export interface NamespaceDefaultOptions {
  /**
   * Apply the create-time rules of the namespace strategy too: status is reset to Active and the
   * `kubernetes` finalizer is added. Never pass it on update: the namespace controller removes
   * that finalizer through /finalize, and re-adding it would block deletion forever.
   */
  forCreate?: boolean;
}

/** `SetDefaults_Namespace` (the `kubernetes.io/metadata.name` label) and `SetDefaults_NamespaceStatus`. */
export function defaultNamespace(ns: Namespace, opts: NamespaceDefaultOptions = {}): void {
  if (ns.metadata?.name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
  if (opts.forCreate) {
    ns.status = { phase: 'Active' };
    const spec = (ns.spec ??= {});
    const finalizers = spec.finalizers ?? [];
    if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
  }
  const status = (ns.status ??= {});
  if (!status.phase) status.phase = 'Active';
}

/** `SetDefaults_Secret`: type Opaque. */
export function defaultSecret(s: Secret): void {
  if (!s.type) s.type = 'Opaque';
}

/** `SetDefaults_Endpoints`: port protocol TCP. */
export function defaultEndpoints(ep: Endpoints): void {
  for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) if (!p.protocol) p.protocol = 'TCP';
}

/** discovery/v1 `SetDefaults_EndpointPort`: name "" and protocol TCP. */
export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const p of slice.ports ?? []) {
    if (p.name === undefined || p.name === null) p.name = '';
    if (!p.protocol) p.protocol = 'TCP';
  }
}

/** `SetDefaults_NodeStatus`: allocatable defaults to capacity. */
export function defaultNode(node: Node): void {
  const status = node.status;
  if (status && !status.allocatable && status.capacity) status.allocatable = { ...status.capacity };
}
