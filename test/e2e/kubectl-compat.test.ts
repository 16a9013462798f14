// [kubectl-compat] acceptance: protobuf bodies, every patch type, apply (client- and server-side),
// create/replace -f, edit, and events in describe — with the real kubectl and default flags.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventRecorder } from '../../src/client/index.js';
import type { KubeObject } from '../../src/api/index.js';
import { FIXTURES_DIR, startKubeloop, type Kubeloop } from './harness.js';

const SEED = join(FIXTURES_DIR, 'seed-service.yaml');

/** The parts of an object both creation paths must agree on (server-set fields dropped). */
function comparable(o: KubeObject & Record<string, unknown>, rename: [string, string]): unknown {
  const copy = JSON.parse(JSON.stringify(o).split(rename[0]).join(rename[1])) as Record<string, unknown> & { metadata: Record<string, unknown> };
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation']) delete copy.metadata[k];
  delete copy.status;
  const spec = copy.spec as Record<string, unknown> | undefined;
  if (spec) for (const k of ['clusterIP', 'clusterIPs']) delete spec[k];
  if (spec?.ports) for (const p of spec.ports as Record<string, unknown>[]) delete p.nodePort;
  return copy;
}

describe('kubectl-compat', () => {
  let kl: Kubeloop;
  let dir: string;
  before(async () => {
    kl = await startKubeloop();
    dir = mkdtempSync(join(tmpdir(), 'kubeloop-compat-'));
  });
  after(async () => {
    await kl?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the seed Service with default validation: created, unchanged, then configured after a change', () => {
    assert.match(kl.k(['apply', '-f', SEED]), /service\/http-go-svc created/);
    assert.match(kl.k(['apply', '-f', SEED]), /service\/http-go-svc unchanged/);
    const changed = join(dir, 'changed.yaml');
    writeFileSync(changed, kl.k(['create', '--dry-run=client', '-o', 'yaml', '-f', SEED]).replace('targetPort: 8080', 'targetPort: 8081'));
    assert.match(kl.k(['apply', '-f', changed]), /service\/http-go-svc configured/);
    const port = JSON.parse(kl.k(['get', 'svc', 'http-go-svc', '-o', 'jsonpath={.spec.ports}'])) as { targetPort: number }[];
    assert.equal(port[0]!.targetPort, 8081);
    kl.k(['delete', 'svc', 'http-go-svc']);
  });

  it('applies server-side twice', () => {
    assert.match(kl.k(['apply', '--server-side', '-f', SEED]), /service\/http-go-svc serverside-applied/);
    assert.match(kl.k(['apply', '--server-side', '-f', SEED]), /service\/http-go-svc serverside-applied/);
    const managers = (JSON.parse(kl.k(['get', 'svc', 'http-go-svc', '-o', 'json', '--show-managed-fields'])) as { metadata: { managedFields: { manager: string; operation: string }[] } }).metadata.managedFields;
    assert.ok(managers.some((m) => m.manager === 'kubectl' && m.operation === 'Apply'));
    kl.k(['delete', 'svc', 'http-go-svc']);
  });

  it('creates and replaces from files', () => {
    assert.match(kl.k(['create', '-f', SEED]), /service\/http-go-svc created/);
    const replaced = join(dir, 'replaced.yaml');
    writeFileSync(replaced, kl.k(['get', 'svc', 'http-go-svc', '-o', 'yaml']).replace('sessionAffinity: ClientIP', 'sessionAffinity: None').replace(/ {2}sessionAffinityConfig:\n {4}clientIP:\n {6}timeoutSeconds: 10800\n/, ''));
    assert.match(kl.k(['replace', '-f', replaced]), /service\/http-go-svc replaced/);
    assert.equal(kl.k(['get', 'svc', 'http-go-svc', '-o', 'jsonpath={.spec.sessionAffinity}']), 'None');
  });

  it('edits through an EDITOR script', () => {
    const editor = join(dir, 'ed.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/sessionAffinity: None/sessionAffinity: ClientIP/" "$1"\n');
    chmodSync(editor, 0o755);
    assert.match(kl.k(['edit', 'svc', 'http-go-svc'], { env: { KUBE_EDITOR: editor } }), /service\/http-go-svc edited/);
    assert.equal(kl.k(['get', 'svc', 'http-go-svc', '-o', 'jsonpath={.spec.sessionAffinityConfig.clientIP.timeoutSeconds}']), '10800');
  });

  it('patches with each --type', () => {
    kl.k(['patch', 'svc', 'http-go-svc', '-p', '{"spec":{"ports":[{"port":80,"targetPort":9090}]}}']);
    kl.k(['patch', 'svc', 'http-go-svc', '--type=merge', '-p', '{"metadata":{"labels":{"m":"1"}}}']);
    kl.k(['patch', 'svc', 'http-go-svc', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/j","value":"2"}]']);
    const svc = JSON.parse(kl.k(['get', 'svc', 'http-go-svc', '-o', 'json'])) as { metadata: { labels: Record<string, string> }; spec: { ports: { port: number; targetPort: number }[] } };
    assert.deepEqual(svc.spec.ports.map((p) => [p.port, p.targetPort]), [[80, 9090]], 'strategic merge by port kept one port');
    assert.equal(svc.metadata.labels.m, '1');
    assert.equal(svc.metadata.labels.j, '2');
  });

  it('rejects a manifest with an unknown field under the default strict validation', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\ndata:\n  a: b\nbogus: 1\n');
    const r = kl.kubectl(['apply', '-f', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /strict decoding error: unknown field "bogus"/);
    assert.equal(kl.kubectl(['get', 'cm', 'strict']).code, 1, 'nothing was stored');
  });

  const generators: { name: string; create: string[]; kind: string; resource: string }[] = [
    { name: 'deployment', create: ['create', 'deployment', 'NAME', '--image=gasbugs/http-go', '--replicas=3'], kind: 'Deployment', resource: 'deployment' },
    { name: 'service clusterip', create: ['create', 'service', 'clusterip', 'NAME', '--tcp=80:8080'], kind: 'Service', resource: 'service' },
    { name: 'namespace', create: ['create', 'namespace', 'NAME'], kind: 'Namespace', resource: 'namespace' },
    { name: 'configmap', create: ['create', 'configmap', 'NAME', '--from-literal=a=b', '--from-literal=c=d'], kind: 'ConfigMap', resource: 'configmap' },
    { name: 'secret generic', create: ['create', 'secret', 'generic', 'NAME', '--from-literal=k=v'], kind: 'Secret', resource: 'secret' },
  ];
  for (const g of generators) {
    it(`kubectl create ${g.name} (protobuf) stores what the same object sent as JSON stores`, () => {
      const pb = `pb-${g.resource}`;
      const js = `js-${g.resource}`;
      const withName = (n: string) => g.create.map((a) => (a === 'NAME' ? n : a));
      assert.match(kl.k(withName(pb)), /created/);
      const json = kl.k([...withName(js), '--dry-run=client', '-o', 'json']);
      assert.match(kl.k(['create', '-f', '-'], { input: json }), /created/);
      const a = JSON.parse(kl.k(['get', g.resource, pb, '-o', 'json'])) as KubeObject & Record<string, unknown>;
      const b = JSON.parse(kl.k(['get', g.resource, js, '-o', 'json'])) as KubeObject & Record<string, unknown>;
      assert.equal(a.kind, g.kind);
      assert.deepEqual(comparable(a, [pb, 'X']), comparable(b, [js, 'X']));
    });
  }

  it('answers 400 to a malformed protobuf body and stores nothing', async () => {
    const before = (await kl.client.configMaps('default').list()).metadata.resourceVersion;
    const r = await kl.raw('POST', '/api/v1/namespaces/default/configmaps', { body: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0x01]), contentType: 'application/vnd.kubernetes.protobuf' });
    assert.equal(r.code, 400);
    assert.equal((JSON.parse(r.body) as { kind: string }).kind, 'Status');
    assert.equal((await kl.client.configMaps('default').list()).metadata.resourceVersion, before);
  });

  it('answers 400/422 to malformed patches and changes nothing', async () => {
    const before = (await kl.client.services('default').get('http-go-svc')).metadata.resourceVersion;
    const cases: [string, string, number][] = [
      ['application/strategic-merge-patch+json', '{"spec":', 400],
      ['application/merge-patch+json', '[1,2', 400],
      ['application/json-patch+json', '[{"op":"test","path":"/spec/type","value":"NodePort"}]', 422],
    ];
    for (const [ct, body, code] of cases) {
      const r = await kl.raw('PATCH', '/api/v1/namespaces/default/services/http-go-svc', { body, contentType: ct });
      assert.equal(r.code, code, `${ct}: ${r.body}`);
      assert.equal((JSON.parse(r.body) as { kind: string }).kind, 'Status');
    }
    assert.equal((await kl.client.services('default').get('http-go-svc')).metadata.resourceVersion, before);
  });

  it('describe shows the events of a Service and a Pod, aggregating repeats', async () => {
    const recorder = new EventRecorder(kl.client, { component: 'e2e-recorder' });
    const svc = await kl.client.services('default').get('http-go-svc');
    await recorder.record(svc, 'Normal', 'Checked', 'service looked at');
    await recorder.record(svc, 'Normal', 'Checked', 'service looked at');
    const out = kl.k(['describe', 'svc', 'http-go-svc']);
    assert.match(out, /Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n\s+----\s+------\s+----\s+----\s+-------\n\s+Normal\s+Checked\s+\S+ \(x2 over \S+\)\s+e2e-recorder\s+service looked at/);
    const pod = await kl.client.pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evpod', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: 'nowhere' } });
    await recorder.record(pod, 'Warning', 'Poked', 'pod was poked');
    assert.match(kl.k(['describe', 'pod', 'evpod']), /Warning\s+Poked\s+\S+\s+e2e-recorder\s+pod was poked/);
  });
});
