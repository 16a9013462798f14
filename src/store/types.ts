// The revisioned key-value store every other part persists through (an etcd v3 subset).
// Revisions are global and strictly increasing; each write gets the next one.

/** One key as stored. `modRevision` is the revision of the write that produced this value. */
export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export type StoreEvent =
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  /** `kv.value` is the last value before deletion; `kv.modRevision` the delete's revision. */
  | { type: 'delete'; kv: KeyValue };

export interface ListResult {
  items: KeyValue[];
  /** The store revision the list reflects. */
  revision: number;
  /** True when `limit` cut the list short; continue from the last item's key. */
  more: boolean;
}

export interface ListOptions {
  /** Only keys strictly greater than this (pagination). */
  afterKey?: string;
  limit?: number;
  /** Read as of this revision (must not be compacted); default: current. */
  revision?: number;
}

export interface WatchOptions {
  /** Deliver every event with revision > afterRevision, in order, with no gap and no duplicate. */
  afterRevision: number;
}

export interface StoreWatch {
  stop(): void;
}

export interface Store {
  readonly url: string;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Fails with KeyExistsError when the key exists. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Compare-and-swap: fails with RevisionMismatchError unless the key's modRevision is `expectedRevision`. */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>;
  /** Deletes, optionally only at `expectedRevision`. Returns the deleted value. */
  delete(key: string, opts?: { expectedRevision?: number }): Promise<KeyValue>;
  /** Fails with CompactedError when `afterRevision` is older than the compacted revision. */
  watch(prefix: string, opts: WatchOptions, onEvent: (e: StoreEvent) => void): Promise<StoreWatch>;
  currentRevision(): Promise<number>;
  /** Drops history at or below `revision`; later watches/lists before it fail with CompactedError. */
  compact(revision: number): Promise<void>;
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}

export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`Cannot create ${key}: key already exists`);
    this.name = 'KeyExistsError';
  }
}

export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Cannot modify ${key}: key not found`);
    this.name = 'KeyNotFoundError';
  }
}

export class RevisionMismatchError extends Error {
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Cannot update ${key}: expected revision ${expected}, found ${actual}`);
    this.name = 'RevisionMismatchError';
  }
}

export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`Cannot read revision ${requested}: compacted up to ${compacted}`);
    this.name = 'CompactedError';
  }
}

/** The first key after every key with this prefix (for range scans). */
export function prefixEnd(prefix: string): string {
  return prefix + '\uffff';
}
