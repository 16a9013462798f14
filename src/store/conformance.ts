// The store conformance suite: every backend runs it (STYLE.md 8).
//   runStoreConformance('sqlite', () => new SqliteStore(':memory:'))
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  CompactedError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  type Store,
  type StoreEvent,
} from './types.js';

export function runStoreConformance(name: string, makeStore: () => Store | Promise<Store>): void {
  describe(`store conformance: ${name}`, () => {
    const opened: Store[] = [];
    const open = async () => {
      const s = await makeStore();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    it('creates a key and reads it back with createRevision equal to modRevision', async () => {
      const s = await open();
      const kv = await s.create('/a/1', 'one');
      assert.equal(kv.createRevision, kv.modRevision);
      assert.deepEqual(await s.get('/a/1'), kv);
    });

    it('refuses to create a key that exists', async () => {
      const s = await open();
      await s.create('/a/1', 'one');
      await assert.rejects(s.create('/a/1', 'two'), KeyExistsError);
      assert.equal((await s.get('/a/1'))?.value, 'one');
    });

    it('gives every write a strictly greater revision and reports it as current', async () => {
      const s = await open();
      const a = await s.create('/a/1', 'x');
      const b = await s.create('/a/2', 'y');
      const c = await s.update('/a/1', 'z', a.modRevision);
      assert.ok(a.modRevision < b.modRevision && b.modRevision < c.modRevision);
      assert.equal(await s.currentRevision(), c.modRevision);
      assert.equal(c.createRevision, a.createRevision);
    });

    it('updates only at the expected revision (compare-and-swap)', async () => {
      const s = await open();
      const a = await s.create('/a/1', 'v1');
      const b = await s.update('/a/1', 'v2', a.modRevision);
      await assert.rejects(s.update('/a/1', 'v3', a.modRevision), RevisionMismatchError);
      assert.equal((await s.get('/a/1'))?.value, 'v2');
      assert.equal((await s.get('/a/1'))?.modRevision, b.modRevision);
      await assert.rejects(s.update('/a/missing', 'v', 1), KeyNotFoundError);
    });

    it('lets exactly one of many concurrent updates at the same revision win', async () => {
      const s = await open();
      const a = await s.create('/race', '0');
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => s.update('/race', String(i + 1), a.modRevision)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof RevisionMismatchError);
    });

    it('deletes a key, returning its last value, and can create it again with a new createRevision', async () => {
      const s = await open();
      const a = await s.create('/a/1', 'v1');
      const d = await s.delete('/a/1');
      assert.equal(d.value, 'v1');
      assert.ok(d.modRevision > a.modRevision);
      assert.equal(await s.get('/a/1'), undefined);
      await assert.rejects(s.delete('/a/1'), KeyNotFoundError);
      const again = await s.create('/a/1', 'v2');
      assert.ok(again.createRevision > d.modRevision);
    });

    it('deletes only at the expected revision when one is given', async () => {
      const s = await open();
      const a = await s.create('/a/1', 'v1');
      await s.update('/a/1', 'v2', a.modRevision);
      await assert.rejects(s.delete('/a/1', { expectedRevision: a.modRevision }), RevisionMismatchError);
      assert.equal((await s.get('/a/1'))?.value, 'v2');
    });

    it('lists exactly the keys under a prefix, in key order', async () => {
      const s = await open();
      for (const k of ['/p/b', '/p/a', '/pq/x', '/o/z', '/p/c']) await s.create(k, k);
      const res = await s.list('/p/');
      assert.deepEqual(res.items.map((i) => i.key), ['/p/a', '/p/b', '/p/c']);
      assert.equal(res.more, false);
      assert.equal(res.revision, await s.currentRevision());
      assert.equal(await s.count('/p/'), 3);
    });

    it('pages a list with limit and afterKey without skipping or repeating', async () => {
      const s = await open();
      for (let i = 0; i < 25; i++) await s.create(`/p/${String(i).padStart(2, '0')}`, String(i));
      const seen: string[] = [];
      let afterKey: string | undefined;
      for (;;) {
        const page = await s.list('/p/', { limit: 7, ...(afterKey ? { afterKey } : {}) });
        seen.push(...page.items.map((i) => i.key));
        if (!page.more) break;
        afterKey = page.items.at(-1)!.key;
      }
      assert.equal(seen.length, 25);
      assert.equal(new Set(seen).size, 25);
    });

    it('lists as of an older revision', async () => {
      const s = await open();
      const a = await s.create('/p/a', '1');
      await s.update('/p/a', '2', a.modRevision);
      await s.create('/p/b', '1');
      await s.delete('/p/a');
      const old = await s.list('/p/', { revision: a.modRevision });
      assert.deepEqual(old.items.map((i) => [i.key, i.value]), [['/p/a', '1']]);
      const now = await s.list('/p/');
      assert.deepEqual(now.items.map((i) => [i.key, i.value]), [['/p/b', '1']]);
    });

    it('watches from a revision: replays history, then live events, with no gap and no duplicate', async () => {
      const s = await open();
      const a = await s.create('/w/a', '1');
      await s.update('/w/a', '2', a.modRevision);
      await s.create('/x/other', 'ignored');
      const events: StoreEvent[] = [];
      const w = await s.watch('/w/', { afterRevision: a.modRevision - 1 }, (e) => events.push(e));
      const writes = [s.create('/w/b', '1'), s.create('/w/c', '1')];
      await Promise.all(writes);
      await s.delete('/w/b');
      w.stop();
      await s.create('/w/after-stop', '1');
      const revs = events.map((e) => e.kv.modRevision);
      assert.deepEqual(revs, [...revs].sort((x, y) => x - y));
      assert.equal(new Set(revs).size, revs.length);
      assert.deepEqual(
        events.map((e) => `${e.type} ${e.kv.key} ${e.kv.value}`),
        ['put /w/a 1', 'put /w/a 2', 'put /w/b 1', 'put /w/c 1', 'delete /w/b 1'],
      );
      const second = events[1]!;
      assert.equal(second.type === 'put' ? second.prev?.value : undefined, '1');
    });

    it('delivers a write made while a watch is being set up exactly once', async () => {
      const s = await open();
      await s.create('/w/0', '0');
      const rev = await s.currentRevision();
      const pending = s.create('/w/1', '1');
      const events: StoreEvent[] = [];
      const w = await s.watch('/w/', { afterRevision: rev }, (e) => events.push(e));
      await pending;
      await s.create('/w/2', '2');
      w.stop();
      assert.deepEqual(events.map((e) => e.kv.key), ['/w/1', '/w/2']);
    });

    it('refuses a watch or list from a compacted revision and keeps current data intact', async () => {
      const s = await open();
      const a = await s.create('/c/a', '1');
      const b = await s.update('/c/a', '2', a.modRevision);
      await s.create('/c/b', '1');
      await s.delete('/c/b');
      const cur = await s.currentRevision();
      await s.compact(b.modRevision);
      assert.equal(await s.compactedRevision(), b.modRevision);
      await assert.rejects(s.watch('/c/', { afterRevision: a.modRevision }, () => {}), CompactedError);
      await assert.rejects(s.list('/c/', { revision: a.modRevision }), CompactedError);
      const events: StoreEvent[] = [];
      const w = await s.watch('/c/', { afterRevision: b.modRevision }, (e) => events.push(e));
      w.stop();
      assert.deepEqual(events.map((e) => `${e.type} ${e.kv.key}`), ['put /c/b', 'delete /c/b']);
      assert.deepEqual((await s.list('/c/')).items.map((i) => [i.key, i.value]), [['/c/a', '2']]);
      assert.equal(await s.currentRevision(), cur);
      const next = await s.create('/c/n', 'n');
      assert.ok(next.modRevision > cur);
    });

    it('keeps revisions increasing after compaction removed the newest deleted row', async () => {
      const s = await open();
      await s.create('/d/a', '1');
      const d = await s.delete('/d/a');
      await s.compact(d.modRevision);
      const again = await s.create('/d/a', '2');
      assert.ok(again.modRevision > d.modRevision);
    });
  });
}
