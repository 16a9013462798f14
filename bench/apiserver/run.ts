// bench/apiserver: creates/s, list latency at 10k objects, and watch delivery delay with 100
// watchers, through the real HTTPS API server; next to the same operations on the bare store
// (the baseline: what the API layer costs on top of persistence).
//   node dist/bench/apiserver/run.js [--objects 10000] [--watchers 100]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApiServer } from '../../src/apiserver/index.js';
import { Client, HttpsTransport } from '../../src/client/index.js';
import { SqliteStore } from '../../src/store/index.js';
import type { ConfigMap } from '../../src/api/index.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const OBJECTS = arg('objects', 10_000);
const WATCHERS = arg('watchers', 100);
const CREATES = arg('creates', 2000);
const CONCURRENCY = 16;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const f = (n: number, d = 1) => n.toFixed(d);

async function pool<T>(n: number, fn: (i: number) => Promise<T>, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      await fn(i);
    }
  }));
}

const cm = (name: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { bench: 'yes' } }, data: { k: 'v'.repeat(64) } });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeloop-bench-api-'));
  const server = await startApiServer({ dataDir: dir, port: 0 });
  const transport = new HttpsTransport({ server: server.url, caCert: server.credentials.caCert, token: server.credentials.token });
  const client = new Client(transport);
  const cms = client.configMaps('default');
  try {
    // ---- baseline: the bare store
    const store = new SqliteStore(join(dir, 'baseline.db'));
    let t0 = performance.now();
    await pool(CREATES, (i) => store.create(`/b/${i}`, JSON.stringify(cm(`b${i}`))), CONCURRENCY);
    const storeCreatesPerSec = CREATES / ((performance.now() - t0) / 1000);

    // ---- creates through HTTPS
    t0 = performance.now();
    await pool(CREATES, (i) => cms.create(cm(`c${i}`)), CONCURRENCY);
    const apiCreatesPerSec = CREATES / ((performance.now() - t0) / 1000);

    // ---- fill to OBJECTS (in-process, fast) and measure list latency
    const reg = server.registry;
    const res = reg.mustResource('configmaps');
    await pool(OBJECTS - CREATES, (i) => reg.create(res, 'default', cm(`f${i}`)), 64);
    for (let i = CREATES; i < OBJECTS; i++) await store.create(`/b/${i}`, JSON.stringify(cm(`b${i}`)));
    const storeList: number[] = [];
    const apiList: number[] = [];
    const tableList: number[] = [];
    for (let i = 0; i < 15; i++) {
      let t = performance.now();
      const l = await store.list('/b/');
      if (l.items.length !== OBJECTS) throw new Error(`store list has ${l.items.length}`);
      storeList.push(performance.now() - t);
      t = performance.now();
      const r = await cms.list();
      if (r.items.length !== OBJECTS) throw new Error(`api list has ${r.items.length}`);
      apiList.push(performance.now() - t);
      t = performance.now();
      const tr = await transport.call<{ rows: unknown[] }>('GET', '/api/v1/namespaces/default/configmaps', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
      if (tr.rows.length !== OBJECTS) throw new Error(`table has ${tr.rows.length}`);
      tableList.push(performance.now() - t);
    }

    // ---- watch delivery delay with WATCHERS HTTPS watchers
    const rv = (await cms.list({ limit: 1 })).metadata.resourceVersion!;
    // Each update carries its sequence number; the send time is taken before the request, so an
    // event that arrives before the write's own response is still timed.
    const sentAt = new Map<string, number>();
    const delays: number[] = [];
    let received = 0;
    const handles = await Promise.all(
      Array.from({ length: WATCHERS }, () =>
        cms.watch({ resourceVersion: rv, fieldSelector: 'metadata.name=watched' }, (e) => {
          const seq = (e.object as ConfigMap).data?.seq;
          const at = seq !== undefined ? sentAt.get(seq) : undefined;
          if (at !== undefined) delays.push(performance.now() - at);
          received++;
        }),
      ),
    );
    const UPDATES = 100;
    let obj = await cms.create(cm('watched'));
    await new Promise((r) => setTimeout(r, 200));
    received = 0;
    delays.length = 0;
    for (let i = 0; i < UPDATES; i++) {
      sentAt.set(String(i), performance.now());
      obj = await cms.update({ ...obj, data: { seq: String(i) } });
      await new Promise((r) => setTimeout(r, 5));
    }
    const deadline = Date.now() + 10_000;
    while (received < UPDATES * WATCHERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const h of handles) h.stop();
    await store.close();

    console.log(`kubeloop bench/apiserver (${OBJECTS} objects, ${WATCHERS} watchers, ${CREATES} creates at concurrency ${CONCURRENCY})`);
    console.log('');
    console.log(`creates/s          API (HTTPS, JSON)    ${f(apiCreatesPerSec, 0).padStart(8)}   baseline bare store ${f(storeCreatesPerSec, 0).padStart(8)}   ratio ${f(apiCreatesPerSec / storeCreatesPerSec, 2)}`);
    console.log(`list ${OBJECTS} p50 ms   API JSON ${f(pct(apiList, 50)).padStart(8)}   Table ${f(pct(tableList, 50)).padStart(8)}   baseline bare store ${f(pct(storeList, 50)).padStart(8)}   ratio ${f(pct(apiList, 50) / pct(storeList, 50), 2)}`);
    console.log(`list ${OBJECTS} p99 ms   API JSON ${f(pct(apiList, 99)).padStart(8)}   Table ${f(pct(tableList, 99)).padStart(8)}   baseline bare store ${f(pct(storeList, 99)).padStart(8)}`);
    console.log(`watch delay ms     p50 ${f(pct(delays, 50), 2)}   p99 ${f(pct(delays, 99), 2)}   (write ack start → event at each of ${WATCHERS} watchers; ${received}/${UPDATES * WATCHERS} delivered)`);
  } finally {
    transport.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Exit only once stdout is flushed (console output to a pipe is asynchronous).
const flushThenExit = (code: number) => process.stdout.write('', () => process.exit(code));
main().then(
  () => flushThenExit(0),
  (e) => {
    console.error(e);
    flushThenExit(1);
  },
);
