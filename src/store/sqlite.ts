// The `sqlite://PATH` backend: one log table, as kine does it. The autoincrement `rev` is the
// revision; the latest row per key is its current value; a unique index on (key, prev_rev) is
// the compare-and-swap guard even if two processes ever shared the file. Writes are group-
// committed: every write queued in one turn of the event loop goes into one transaction, and
// each is acknowledged only after that transaction is durable (WAL, synchronous=FULL).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CompactedError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  prefixEnd,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type StoreEvent,
  type StoreWatch,
  type WatchOptions,
} from './types.js';

interface Row {
  rev: number;
  key: string;
  deleted: number;
  create_rev: number;
  prev_rev: number;
  value: string;
}

interface EventRow extends Row {
  p_rev: number | null;
  p_deleted: number | null;
  p_create_rev: number | null;
  p_value: string | null;
}

type Op =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'update'; key: string; value: string; expected: number }
  | { kind: 'delete'; key: string; expected?: number };

interface Pending {
  op: Op;
  resolve: (kv: KeyValue) => void;
  reject: (e: unknown) => void;
}

interface Watcher {
  prefix: string;
  end: string;
  onEvent: (e: StoreEvent) => void;
  /** Highest revision delivered; live events at or below it are dropped (replay overlap). */
  delivered: number;
  live: boolean;
}

const toKV = (r: Pick<Row, 'key' | 'value' | 'create_rev' | 'rev'>): KeyValue => ({
  key: r.key,
  value: r.value,
  createRevision: r.create_rev,
  modRevision: r.rev,
});

export interface SqliteStoreOptions {
  /** `FULL` (default) fsyncs every commit; `NORMAL` survives process crashes but not power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

export class SqliteStore implements Store {
  readonly url: string;
  private readonly db: Database.Database;
  private readonly stmts;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private readonly watchers = new Set<Watcher>();
  private closed = false;

  constructor(path: string, opts: SqliteStoreOptions = {}) {
    this.url = `sqlite://${path}`;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS log (
        rev INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        deleted INTEGER NOT NULL,
        create_rev INTEGER NOT NULL,
        prev_rev INTEGER NOT NULL,
        value TEXT NOT NULL
      );
      CREATE UNIQUE INDEX IF NOT EXISTS log_key_prev ON log(key, prev_rev);
      CREATE INDEX IF NOT EXISTS log_key_rev ON log(key, rev);
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
    this.stmts = {
      latest: this.db.prepare<[string], Row>('SELECT * FROM log WHERE key = ? ORDER BY rev DESC LIMIT 1'),
      insert: this.db.prepare<[string, number, number, number, string]>(
        'INSERT INTO log (key, deleted, create_rev, prev_rev, value) VALUES (?, ?, ?, ?, ?)',
      ),
      setCreateRev: this.db.prepare<[number]>('UPDATE log SET create_rev = rev WHERE rev = ?'),
      list: this.db.prepare<[string, string, string, number, number], Row>(`
        SELECT * FROM (
          SELECT key, MAX(rev) AS rev, deleted, create_rev, prev_rev, value FROM log
          WHERE key >= ? AND key > ? AND key < ? AND rev <= ? GROUP BY key
        ) WHERE deleted = 0 ORDER BY key LIMIT ?`),
      count: this.db.prepare<[string, string], { n: number }>(`
        SELECT COUNT(*) AS n FROM (
          SELECT deleted FROM (SELECT key, MAX(rev) AS rev, deleted FROM log WHERE key >= ? AND key < ? GROUP BY key) WHERE deleted = 0
        )`),
      events: this.db.prepare<[number, string, string], EventRow>(`
        SELECT l.*, p.rev AS p_rev, p.deleted AS p_deleted, p.create_rev AS p_create_rev, p.value AS p_value
        FROM log l LEFT JOIN log p ON p.rev = l.prev_rev
        WHERE l.rev > ? AND l.key >= ? AND l.key < ? ORDER BY l.rev`),
      currentRev: this.db.prepare<[], { rev: number | null }>('SELECT MAX(rev) AS rev FROM log'),
      seqRev: this.db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'log'"),
      getMeta: this.db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE name = ?'),
      setMeta: this.db.prepare<[string, number]>('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
      compact: this.db.prepare<[number, number]>(`
        DELETE FROM log WHERE rev <= ? AND (deleted = 1 OR rev < (SELECT MAX(l2.rev) FROM log l2 WHERE l2.key = log.key AND l2.rev <= ?))`),
    };
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    const r = this.stmts.latest.get(key);
    return r && !r.deleted ? toKV(r) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const current = this.revisionNow();
    const revision = opts.revision && opts.revision > 0 ? opts.revision : current;
    const compacted = this.compactedRev();
    if (revision < compacted) throw new CompactedError(revision, compacted);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1;
    const rows = this.stmts.list.all(prefix, opts.afterKey ?? '', prefixEnd(prefix), revision, limit === -1 ? -1 : limit + 1);
    const more = limit !== -1 && rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(toKV);
    return { items, revision, more };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    return this.stmts.count.get(prefix, prefixEnd(prefix))?.n ?? 0;
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.enqueue({ kind: 'create', key, value });
  }

  update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    return this.enqueue({ kind: 'update', key, value, expected: expectedRevision });
  }

  delete(key: string, opts: { expectedRevision?: number } = {}): Promise<KeyValue> {
    return this.enqueue(opts.expectedRevision === undefined ? { kind: 'delete', key } : { kind: 'delete', key, expected: opts.expectedRevision });
  }

  async watch(prefix: string, opts: WatchOptions, onEvent: (e: StoreEvent) => void): Promise<StoreWatch> {
    this.assertOpen();
    const compacted = this.compactedRev();
    if (opts.afterRevision < compacted) throw new CompactedError(opts.afterRevision, compacted);
    // Subscribe first, then replay, then go live dropping what the replay already delivered.
    const w: Watcher = { prefix, end: prefixEnd(prefix), onEvent, delivered: opts.afterRevision, live: false };
    this.watchers.add(w);
    for (const r of this.stmts.events.iterate(opts.afterRevision, prefix, w.end) as IterableIterator<EventRow>) {
      if (r.rev <= w.delivered) continue;
      w.delivered = r.rev;
      onEvent(eventFromRow(r));
    }
    w.live = true;
    return { stop: () => void this.watchers.delete(w) };
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.revisionNow();
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    const current = this.revisionNow();
    const target = Math.min(revision, current);
    if (target <= this.compactedRev()) return;
    this.db.transaction(() => {
      this.stmts.compact.run(target, target);
      this.stmts.setMeta.run('compacted', target);
    })();
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.compactedRev();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.watchers.clear();
    this.db.close();
  }

  // ---------------------------------------------------------------- internals

  private assertOpen(): void {
    if (this.closed) throw new Error(`Cannot use ${this.url}: store is closed`);
  }

  /** The revision of the newest write ever made (sqlite_sequence survives deleted rows). */
  private revisionNow(): number {
    return this.stmts.seqRev.get()?.seq ?? this.stmts.currentRev.get()?.rev ?? 0;
  }

  private compactedRev(): number {
    return this.stmts.getMeta.get('compacted')?.value ?? 0;
  }

  private enqueue(op: Op): Promise<KeyValue> {
    if (this.closed) return Promise.reject(new Error(`Cannot use ${this.url}: store is closed`));
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Applies every queued write in one durable transaction, then acknowledges and notifies. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; event: StoreEvent } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: true, event: this.apply(p.op) });
          } catch (e) {
            outcomes.push({ ok: false, error: e });
          }
        }
      })();
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.event.kv);
      else p.reject(o.error);
    });
    for (const o of outcomes) if (o.ok) this.notify(o.event);
  }

  private apply(op: Op): StoreEvent {
    const latest = this.stmts.latest.get(op.key);
    const exists = latest !== undefined && latest.deleted === 0;
    switch (op.kind) {
      case 'create': {
        if (exists) throw new KeyExistsError(op.key);
        const info = this.stmts.insert.run(op.key, 0, 0, latest?.rev ?? 0, op.value);
        const rev = Number(info.lastInsertRowid);
        this.stmts.setCreateRev.run(rev);
        return { type: 'put', kv: { key: op.key, value: op.value, createRevision: rev, modRevision: rev } };
      }
      case 'update': {
        if (!exists) throw new KeyNotFoundError(op.key);
        if (latest.rev !== op.expected) throw new RevisionMismatchError(op.key, op.expected, latest.rev);
        const info = this.stmts.insert.run(op.key, 0, latest.create_rev, latest.rev, op.value);
        const rev = Number(info.lastInsertRowid);
        return { type: 'put', kv: { key: op.key, value: op.value, createRevision: latest.create_rev, modRevision: rev }, prev: toKV(latest) };
      }
      case 'delete': {
        if (!exists) throw new KeyNotFoundError(op.key);
        if (op.expected !== undefined && latest.rev !== op.expected) throw new RevisionMismatchError(op.key, op.expected, latest.rev);
        const info = this.stmts.insert.run(op.key, 1, latest.create_rev, latest.rev, latest.value);
        const rev = Number(info.lastInsertRowid);
        return { type: 'delete', kv: { key: op.key, value: latest.value, createRevision: latest.create_rev, modRevision: rev } };
      }
      default: {
        const never: never = op;
        return never;
      }
    }
  }

  private notify(e: StoreEvent): void {
    for (const w of this.watchers) {
      if (!w.live || e.kv.modRevision <= w.delivered) continue;
      if (e.kv.key < w.prefix || e.kv.key >= w.end) continue;
      w.delivered = e.kv.modRevision;
      try {
        w.onEvent(e);
      } catch {
        // A watcher's failure is its own; it must not break the write path or other watchers.
      }
    }
  }
}

function eventFromRow(r: EventRow): StoreEvent {
  const kv = toKV(r);
  if (r.deleted) return { type: 'delete', kv };
  if (r.p_rev !== null && r.p_deleted === 0 && r.p_value !== null && r.p_create_rev !== null) {
    return { type: 'put', kv, prev: { key: r.key, value: r.p_value, createRevision: r.p_create_rev, modRevision: r.p_rev } };
  }
  return { type: 'put', kv };
}
