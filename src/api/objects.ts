// Generic object shapes shared by every part.
import type { ListMeta, ObjectMeta } from './meta.js';

/** Any API object on the wire. Kind-specific types narrow this. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/** Metadata of an object that came out of the store: these fields are always set (STYLE.md 2). */
export type StoredMeta = ObjectMeta & {
  name: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
};

/** An object as read from the API: metadata fields the server always sets are required. */
export type Stored<T extends { metadata: ObjectMeta }> = Omit<T, 'metadata'> & { metadata: StoredMeta };

export interface ObjectList<T> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export function deepCopy<T>(o: T): T {
  return structuredClone(o);
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key controllers queue. */
export function objectKey(o: { metadata: ObjectMeta }): string {
  const ns = o.metadata.namespace;
  return ns ? `${ns}/${o.metadata.name ?? ''}` : (o.metadata.name ?? '');
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
