// Store keys: /registry/<group or "core">/<plural>/<namespace>/<name> (cluster-scoped: no namespace).
import type { ResourceType } from '../../api/index.js';

const groupSegment = (t: ResourceType) => t.group || 'core';

export function objectKeyFor(t: ResourceType, namespace: string | undefined, name: string): string {
  return t.namespaced ? `/registry/${groupSegment(t)}/${t.plural}/${namespace ?? ''}/${name}` : `/registry/${groupSegment(t)}/${t.plural}/${name}`;
}

/** The prefix of every object of a type, or of one namespace's objects. */
export function prefixFor(t: ResourceType, namespace?: string): string {
  const base = `/registry/${groupSegment(t)}/${t.plural}/`;
  return t.namespaced && namespace ? `${base}${namespace}/` : base;
}
