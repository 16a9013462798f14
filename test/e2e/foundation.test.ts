// [foundation] acceptance, with the real kubectl against a real `kubeloop up`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { Informer } from '../../src/client/index.js';
import type { ConfigMap, Service } from '../../src/api/index.js';
import { FIXTURES_DIR, startKubeloop, tableRows, type Kubeloop } from './harness.js';

const SEED = join(FIXTURES_DIR, 'seed-service.yaml');

async function until<T>(fn: () => T | Promise<T>, ms = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`${what} not reached in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('foundation: kubectl against kubeloop', () => {
  let kl: Kubeloop;
  before(async () => {
    kl = await startKubeloop({ args: ['--compact-interval', '1s'] });
  });
  after(async () => {
    await kl?.stop();
  });

  it('kubectl version reports a 1.32 server', () => {
    const out = kl.k(['version']);
    assert.match(out, /Server Version: v1\.32\.\d+/);
  });

  it('kubectl api-resources lists the served kinds with short names', () => {
    const rows = tableRows(kl.k(['api-resources']));
    const byName = new Map(rows.map((r) => [r[0], r]));
    assert.deepEqual(byName.get('services'), ['services', 'svc', 'v1', 'true', 'Service']);
    assert.deepEqual(byName.get('deployments'), ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    assert.deepEqual(byName.get('namespaces'), ['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    assert.ok(byName.has('endpointslices'));
  });

  it('kubectl cluster-info names the control plane URL', () => {
    assert.match(kl.k(['cluster-info']), new RegExp(`Kubernetes control plane is running at ${kl.url.replace(/[.]/g, '\\.')}`));
  });

  it('kubectl get ns prints NAME STATUS AGE for the four system namespaces', () => {
    const rows = tableRows(kl.k(['get', 'ns']));
    assert.deepEqual(rows[0], ['NAME', 'STATUS', 'AGE']);
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[1]]), [
      ['default', 'Active'],
      ['kube-node-lease', 'Active'],
      ['kube-public', 'Active'],
      ['kube-system', 'Active'],
    ]);
  });

  it('kubectl get ns -o yaml|json|name print the objects', () => {
    const json = JSON.parse(kl.k(['get', 'ns', 'default', '-o', 'json'])) as { kind: string; metadata: { name: string; uid: string }; status: { phase: string } };
    assert.equal(json.kind, 'Namespace');
    assert.equal(json.status.phase, 'Active');
    assert.match(kl.k(['get', 'ns', 'default', '-o', 'yaml']), /name: default\n/);
    assert.deepEqual(kl.k(['get', 'ns', '-o', 'name']).trim().split('\n'), ['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system']);
    const list = JSON.parse(kl.k(['get', 'ns', '-o', 'json'])) as { kind: string; items: unknown[] };
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, 4);
  });

  it('applies the seed Service and prints it with the upstream svc columns, label, annotate, patch, select and delete', () => {
    assert.match(kl.k(['apply', '--validate=false', '-f', SEED]), /service\/http-go-svc created/);
    const wide = tableRows(kl.k(['get', 'svc', 'http-go-svc', '-o', 'wide']));
    assert.deepEqual(wide[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    assert.equal(wide[1]![0], 'http-go-svc');
    assert.equal(wide[1]![1], 'ClusterIP');
    assert.equal(wide[1]![4], '80/TCP');
    assert.equal(wide[1]![6], 'run=http-go');
    assert.match(kl.k(['label', 'svc', 'http-go-svc', 'tier=web']), /service\/http-go-svc labeled/);
    assert.match(kl.k(['annotate', 'svc', 'http-go-svc', 'note=hi']), /service\/http-go-svc annotated/);
    assert.match(kl.k(['get', 'svc', '-l', 'tier=web', '-o', 'name']), /service\/http-go-svc/);
    assert.equal(kl.kubectl(['get', 'svc', '-l', 'tier=db', '-o', 'name']).stdout.trim(), '');
    assert.match(kl.k(['get', 'svc', '--field-selector', 'metadata.name=http-go-svc', '-o', 'name']), /service\/http-go-svc/);
    assert.match(kl.k(['patch', 'svc', 'http-go-svc', '--type=merge', '-p', '{"metadata":{"labels":{"patched":"merge"}}}']), /patched/);
    assert.match(kl.k(['patch', 'svc', 'http-go-svc', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/json","value":"yes"}]']), /patched/);
    const svc = JSON.parse(kl.k(['get', 'svc', 'http-go-svc', '-o', 'json'])) as Service;
    assert.deepEqual(
      { tier: svc.metadata.labels?.tier, patched: svc.metadata.labels?.patched, json: svc.metadata.labels?.json, note: svc.metadata.annotations?.note },
      { tier: 'web', patched: 'merge', json: 'yes', note: 'hi' },
    );
    assert.match(kl.k(['delete', 'svc', 'http-go-svc']), /service "http-go-svc" deleted/);
    const gone = kl.kubectl(['get', 'svc', 'http-go-svc']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /Error from server \(NotFound\): services "http-go-svc" not found/);
  });

  it('kubectl get -A prints a NAMESPACE column', () => {
    kl.k(['create', 'configmap', 'cm-a', '--from-literal=a=b', '-n', 'kube-public']);
    const rows = tableRows(kl.k(['get', 'configmaps', '-A']));
    assert.equal(rows[0]![0], 'NAMESPACE');
    assert.ok(rows.some((r) => r[0] === 'kube-public' && r[1] === 'cm-a'));
  });

  it('kubectl get svc -w prints the list, then a row when another client changes a Service', async () => {
    kl.k(['apply', '--validate=false', '-f', SEED]);
    const child = spawn('kubectl', ['get', 'svc', '-w'], { env: { ...process.env, HOME: kl.home, KUBECONFIG: kl.kubeconfig } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      // Output arrives in chunks that may end mid-row: count only complete lines.
      const lines = () => out.split('\n').slice(0, -1);
      await until(() => lines().some((l) => /^http-go-svc\s/.test(l)) && lines().some((l) => /^kubernetes\s/.test(l)), 15_000, 'initial list');
      const linesBefore = lines().length;
      const svc = await kl.client.services('default').get('http-go-svc');
      await kl.client.services('default').update({ ...svc, metadata: { ...svc.metadata, labels: { changed: 'yes' } } });
      await until(() => lines().length > linesBefore, 10_000, 'a watch row');
      const last = lines().at(-1)!;
      assert.match(last, /^http-go-svc\s+ClusterIP/);
      assert.equal(child.exitCode, null, 'the watch stays open');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a watch from a compacted revision gets 410 and a relisting informer recovers', async () => {
    const cms = kl.client.configMaps('default');
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w0', namespace: 'default' } });
    const old = (await cms.list()).metadata.resourceVersion!;
    for (let i = 1; i <= 3; i++) await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `w${i}`, namespace: 'default' } });
    // The server compacts every second to the revision it saw a tick before.
    const res = await until(
      async () => {
        const r = await kl.raw('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${old}&timeoutSeconds=1`);
        return r.body.includes('"code":410') ? r : undefined;
      },
      15_000,
      'compaction',
    );
    const ev = JSON.parse(res.body.trim().split('\n')[0]!) as { type: string; object: { reason: string; code: number } };
    assert.deepEqual([ev.type, ev.object.code, ev.object.reason], ['ERROR', 410, 'Expired']);
    const inf = new Informer<ConfigMap>(cms);
    await inf.start();
    try {
      await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w4', namespace: 'default' } });
      await until(() => inf.get('default/w4'), 10_000, 'informer sees new object');
      assert.ok(['w0', 'w1', 'w2', 'w3'].every((n) => inf.get(`default/${n}`)));
    } finally {
      inf.stop();
    }
  });
});

describe('foundation: bad input answers a Status and changes nothing', () => {
  let kl: Kubeloop;
  before(async () => {
    kl = await startKubeloop();
  });
  after(async () => {
    await kl?.stop();
  });

  async function revision(): Promise<string> {
    return (await kl.client.namespaces().list()).metadata.resourceVersion!;
  }

  const cases: { name: string; method: string; path: string; body?: string | Buffer; contentType?: string; token?: string | null; code: number; reason: string; message?: RegExp }[] = [
    { name: 'no token', method: 'GET', path: '/api/v1/namespaces', token: null, code: 401, reason: 'Unauthorized' },
    { name: 'a wrong token', method: 'GET', path: '/api/v1/namespaces', token: 'nope', code: 401, reason: 'Unauthorized' },
    { name: 'an unknown resource', method: 'GET', path: '/api/v1/namespaces/default/widgets', code: 404, reason: 'NotFound', message: /the server could not find the requested resource/ },
    {
      name: 'an invalid name',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid' } }),
      code: 422,
      reason: 'Invalid',
      message: /^ConfigMap "Not_Valid" is invalid: metadata\.name: Invalid value: "Not_Valid"/,
    },
    {
      name: 'a wrong apiVersion',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      code: 400,
      reason: 'BadRequest',
    },
    {
      name: 'a wrong kind',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }),
      code: 400,
      reason: 'BadRequest',
    },
    { name: 'malformed JSON', method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: '{"apiVersion": "v1", kind', code: 400, reason: 'BadRequest', message: /json parse error/ },
    { name: 'malformed YAML', method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: 'a: b: c:\n  - [', contentType: 'application/yaml', code: 400, reason: 'BadRequest' },
    {
      name: 'a body over 3 MiB',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(3 * 1024 * 1024 + 10) } }),
      code: 413,
      reason: 'RequestEntityTooLarge',
    },
    { name: 'an unsupported media type', method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: 'x', contentType: 'text/csv', code: 415, reason: 'UnsupportedMediaType' },
  ];

  for (const c of cases) {
    it(`answers ${c.code} ${c.reason} for ${c.name}, leaving the store unchanged`, async () => {
      const before = await revision();
      const r = await kl.raw(c.method, c.path, { ...(c.body !== undefined ? { body: c.body } : {}), ...(c.contentType ? { contentType: c.contentType } : {}), ...(c.token !== undefined ? { token: c.token } : {}) });
      assert.equal(r.code, c.code, r.body);
      const s = JSON.parse(r.body) as { kind: string; status: string; reason: string; code: number; message: string };
      assert.equal(s.kind, 'Status');
      assert.equal(s.status, 'Failure');
      assert.equal(s.reason, c.reason);
      assert.equal(s.code, c.code);
      if (c.message) assert.match(s.message, c.message);
      assert.equal(await revision(), before, 'the store revision moved');
    });
  }

  it('answers 409 Conflict for an update at a stale resourceVersion, keeping the stored object', async () => {
    const cms = kl.client.configMaps('default');
    const c = await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stale', namespace: 'default' }, data: { v: '1' } });
    await cms.update({ ...c, data: { v: '2' } });
    const before = await revision();
    const r = await kl.raw('PUT', '/api/v1/namespaces/default/configmaps/stale', { body: JSON.stringify({ ...c, data: { v: '3' } }) });
    assert.equal(r.code, 409);
    assert.equal((JSON.parse(r.body) as { reason: string }).reason, 'Conflict');
    assert.equal(await revision(), before);
    assert.deepEqual((await cms.get('stale')).data, { v: '2' });
  });

  it('kubectl renders an invalid-name error as upstream does', () => {
    const r = kl.kubectl(['create', 'namespace', 'Bad_NS']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The Namespace "Bad_NS" is invalid: metadata\.name: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of/);
  });
});

describe('foundation: durability', () => {
  it('keeps every acknowledged object after the server is killed with SIGKILL and restarted', async () => {
    const kl = await startKubeloop();
    const acked: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop && i < 5000; i++) {
        const name = `d${i}`;
        try {
          await kl.client.configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { i: String(i) } });
          acked.push(name);
        } catch {
          return;
        }
      }
    })();
    await until(() => acked.length >= 100, 20_000, '100 acknowledged creates');
    await kl.kill();
    stop = true;
    await writer;
    const again = await startKubeloop({ dataDir: kl.dataDir, home: kl.home, ranges: kl.ranges });
    try {
      const names = new Set((await again.client.configMaps('default').list()).items.map((c) => c.metadata.name));
      const missing = acked.filter((n) => !names.has(n));
      assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged objects are missing`);
    } finally {
      await again.stop();
      await kl.stop();
    }
  });
});
