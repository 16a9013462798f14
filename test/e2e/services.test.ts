// [services] acceptance: the Service registry through the real kubectl and raw HTTPS.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync, readFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Service, Status } from '../../src/api/index.js';
import { FIXTURES_DIR, startKubeloop, tableRows, testRanges, type Kubeloop } from './harness.js';

const svc = (name: string, spec: Partial<Service['spec']>, meta: Partial<Service['metadata']> = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', ...meta },
  spec: { ports: [{ port: 80 }], selector: { app: name }, ...spec },
});

describe('services: registry semantics through the API', () => {
  let kl: Kubeloop;
  let scratch: string;
  before(async () => {
    kl = await startKubeloop();
    scratch = mkdtempSync(join(tmpdir(), 'kubeloop-svc-'));
  });
  after(async () => {
    await kl?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const post = async (s: Service) => {
    const r = await kl.raw('POST', '/api/v1/namespaces/default/services', { body: JSON.stringify(s) });
    return { code: r.code, body: JSON.parse(r.body) as Service & { message: string; reason?: string } };
  };

  it('(1) serves the kubernetes Service in default at the first IP of the range, port 443 named https', async () => {
    const r = await kl.raw('GET', '/api/v1/namespaces/default/services/kubernetes');
    assert.equal(r.code, 200);
    const s = JSON.parse(r.body) as Service;
    assert.equal(s.spec.clusterIP, kl.ranges.serviceCIDR.replace(/0\/16$/, '1'));
    assert.deepEqual(s.spec.ports?.map((p) => [p.name, p.port, p.protocol]), [['https', 443, 'TCP']]);
    assert.deepEqual(s.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
  });

  it('(2) lists the kubernetes Service when listing services in all namespaces', async () => {
    const list = JSON.parse((await kl.raw('GET', '/api/v1/services')).body) as { items: Service[] };
    assert.ok(list.items.some((s) => s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'));
  });

  it('(50a,c) returns a requested free ClusterIP verbatim, refuses it twice and outside the range, and frees it on delete', async () => {
    const net = kl.ranges.serviceCIDR.replace(/\.0\.0\/16$/, '');
    const ip = `${net}.123.123`;
    const a = await post(svc('ip-a', { clusterIP: ip }));
    assert.equal(a.code, 201);
    assert.equal(a.body.spec.clusterIP, ip);
    const dup = await post(svc('ip-b', { clusterIP: ip }));
    assert.equal(dup.code, 422);
    assert.equal(dup.body.message, `Service "ip-b" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`);
    const out = await post(svc('ip-c', { clusterIP: '127.253.0.5' }));
    assert.equal(out.code, 422);
    assert.equal(
      out.body.message,
      `Service "ip-c" is invalid: spec.clusterIPs: Invalid value: []string{"127.253.0.5"}: failed to allocate IP 127.253.0.5: the provided IP (127.253.0.5) is not in the valid range. The range of valid IPs is ${kl.ranges.serviceCIDR}`,
    );
    await kl.client.services('default').delete('ip-a');
    const again = await post(svc('ip-b', { clusterIP: ip }));
    assert.equal(again.code, 201);
  });

  it('(50b) refuses to change a ClusterIP and patches an omitted one back on PUT', async () => {
    const created = (await post(svc('immut', {}))).body;
    const ip = created.spec.clusterIP!;
    const changed = await kl.raw('PUT', '/api/v1/namespaces/default/services/immut', {
      body: JSON.stringify({ ...created, spec: { ...created.spec, clusterIP: '127.253.200.200', clusterIPs: ['127.253.200.200'] } }),
    });
    assert.equal(changed.code, 422);
    assert.match((JSON.parse(changed.body) as Status).message!, /spec\.clusterIPs\[0\]: Invalid value: \[\]string\{"127\.253\.200\.200"\}: may not change once set/);
    const omitted = await kl.raw('PUT', '/api/v1/namespaces/default/services/immut', {
      body: JSON.stringify({ ...created, spec: { ...created.spec, clusterIP: '', clusterIPs: [] } }),
    });
    assert.equal(omitted.code, 200);
    assert.equal((JSON.parse(omitted.body) as Service).spec.clusterIP, ip);
  });

  it('(50d) defaults ClientIP timeoutSeconds to 10800 and refuses 0 and 86401', async () => {
    const ok = await post(svc('aff', { sessionAffinity: 'ClientIP' }));
    assert.equal(ok.body.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds, 10800);
    for (const t of [0, 86401]) {
      const bad = await post(svc(`aff-${t}`, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: t } } }));
      assert.equal(bad.code, 422);
      assert.match(bad.body.message, new RegExp(`spec\\.sessionAffinityConfig\\.clientIP\\.timeoutSeconds: Invalid value: ${t}: must be greater than 0 and less than 86400`));
    }
  });

  it('(50e) requires names on each of several ports', async () => {
    const r = await post(svc('web', { ports: [{ port: 80 }, { port: 81 }] }));
    assert.equal(r.code, 422);
    assert.equal(r.body.message, 'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]');
  });

  it('(50f) refuses clusterIP None with type NodePort', async () => {
    const r = await post(svc('nonenp', { type: 'NodePort', clusterIP: 'None' }));
    assert.equal(r.code, 422);
    assert.match(r.body.message, /may not be set to 'None' for NodePort services/);
  });

  it('(50g) refuses names that are not DNS-1035 labels', async () => {
    for (const name of ['1svc', 'My_Svc']) {
      const r = await post(svc(name, {}));
      assert.equal(r.code, 422);
      assert.match(r.body.message, new RegExp(`^Service "${name}" is invalid: metadata\\.name: Invalid value: "${name}": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character \\(e\\.g\\. 'my-name',  or 'abc-123'`));
    }
  });

  it('(50h) defaults targetPort to port and protocol to TCP', async () => {
    const r = await post(svc('dflt', { ports: [{ port: 8080 }] }));
    assert.deepEqual(r.body.spec.ports, [{ port: 8080, protocol: 'TCP', targetPort: 8080 }]);
    assert.equal(r.body.spec.type, 'ClusterIP');
    assert.equal(r.body.spec.sessionAffinity, 'None');
  });

  it('(50i) gives TCP 80 and UDP 80 of a new NodePort Service the same nodePort', async () => {
    const r = await post(svc('tcpudp', { type: 'NodePort', ports: [{ name: 'tcp', port: 80, protocol: 'TCP' }, { name: 'udp', port: 80, protocol: 'UDP' }] }));
    assert.equal(r.code, 201);
    const [a, b] = r.body.spec.ports!;
    assert.ok(a!.nodePort && a!.nodePort >= 30000 && a!.nodePort <= 32767);
    assert.equal(a!.nodePort, b!.nodePort);
  });

  it('(18, 20) prevents NodePort collisions and releases nodePorts on delete', async () => {
    const first = await post(svc('np1', { type: 'NodePort' }));
    const port = first.body.spec.ports![0]!.nodePort!;
    const clash = await post(svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }));
    assert.equal(clash.code, 422);
    assert.equal(clash.body.message, `Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`);
    await kl.client.services('default').delete('np1');
    const reuse = await post(svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }));
    assert.equal(reuse.code, 201);
    assert.equal(reuse.body.spec.ports![0]!.nodePort, port);
  });

  it('(19) refuses an out-of-range nodePort on create and on update', async () => {
    const r = await post(svc('npout', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] }));
    assert.equal(r.code, 422);
    assert.match(r.body.message, /40000: provided port is not in the valid range\. The range of valid ports is 30000-32767/);
    const ok = (await post(svc('npout2', { type: 'NodePort' }))).body;
    const upd = await kl.raw('PUT', '/api/v1/namespaces/default/services/npout2', {
      body: JSON.stringify({ ...ok, spec: { ...ok.spec, ports: [{ ...ok.spec.ports![0]!, nodePort: 40001 }] } }),
    });
    assert.equal(upd.code, 422);
    assert.match(upd.body, /40001: provided port is not in the valid range/);
  });

  it('(38) completes a service status lifecycle with watch events for each step', async () => {
    const events: string[] = [];
    const rv = (await kl.client.services('default').list()).metadata.resourceVersion!;
    const w = await kl.client.services('default').watch({ resourceVersion: rv, fieldSelector: 'metadata.name=lifecycle' }, (e) => events.push(e.type));
    try {
      const created = (await post(svc('lifecycle', { type: 'LoadBalancer', loadBalancerClass: 'example.com/internal-vip' }))).body;
      const st = await kl.raw('GET', '/api/v1/namespaces/default/services/lifecycle/status');
      assert.equal(st.code, 200);
      const patched = await kl.raw('PATCH', '/api/v1/namespaces/default/services/lifecycle/status', {
        contentType: 'application/merge-patch+json',
        body: JSON.stringify({ metadata: { annotations: { patchedstatus: 'true' } }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.1' }] } } }),
      });
      assert.equal(patched.code, 200, patched.body);
      const p = JSON.parse(patched.body) as Service;
      assert.equal(p.status?.loadBalancer?.ingress?.[0]?.ip, '203.0.113.1');
      assert.equal(p.metadata.annotations?.patchedstatus, 'true');
      const withCond = await kl.client.services('default').updateStatus({
        ...p,
        status: { ...p.status, conditions: [{ type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from e2e test', lastTransitionTime: '2026-11-01T00:00:00Z' }] },
      });
      assert.equal(withCond.status?.conditions?.[0]?.reason, 'E2E');
      assert.equal(withCond.spec.clusterIP, created.spec.clusterIP, '/status leaves the spec alone');
      await kl.client.services('default').patch('lifecycle', 'merge', { metadata: { labels: { 'test-service': 'patched' } } });
      await kl.client.services('default').delete('lifecycle');
      const deadline = Date.now() + 5000;
      while (events.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(events, ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    } finally {
      w.stop();
    }
  });

  it('(39) deletes a collection of services by label', async () => {
    for (const n of ['dc1', 'dc2', 'dc3']) await post(svc(n, {}, { labels: { 'e2e-test-service': n === 'dc3' ? 'keep' : 'delete' } }));
    const r = await kl.raw('DELETE', '/api/v1/namespaces/default/services?labelSelector=e2e-test-service%3Ddelete');
    assert.equal(r.code, 200);
    const left = (await kl.client.services('default').list({ labelSelector: 'e2e-test-service' })).items.map((s) => s.metadata.name);
    assert.deepEqual(left, ['dc3']);
  });

  it('deletes the Endpoints object with its Service', async () => {
    await post(svc('withep', { selector: undefined }));
    await kl.client.endpoints('default').create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'withep', namespace: 'default' }, subsets: [{ addresses: [{ ip: '127.244.0.9' }], ports: [{ port: 80 }] }] });
    await kl.client.services('default').delete('withep');
    await assert.rejects(kl.client.endpoints('default').get('withep'), /not found/);
  });

  it('renders invalid Services in kubectl as upstream: one cause inline, several as a bullet list', () => {
    const one = join(scratch, 'one.yaml');
    writeFileSync(one, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP\n  ports:\n  - port: 80\n    nodePort: 30080\n');
    const r1 = kl.kubectl(['create', '--validate=false', '-f', one]);
    assert.equal(r1.code, 1);
    assert.match(r1.stderr, /The Service "web" is invalid: spec\.ports\[0\]\.nodePort: Forbidden: may not be used when `type` is 'ClusterIP'/);
    const two = join(scratch, 'two.yaml');
    writeFileSync(two, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n  - port: 81\n');
    const r2 = kl.kubectl(['create', '--validate=false', '-f', two]);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /The Service "web" is invalid: \n\* spec\.ports\[0\]\.name: Required value\n\* spec\.ports\[1\]\.name: Required value/);
  });

  it('kubectl create service clusterip|nodeport|loadbalancer|externalname print the upstream svc columns', () => {
    kl.k(['create', 'service', 'clusterip', 'cs-c', '--tcp=80:8080']);
    kl.k(['create', 'service', 'nodeport', 'cs-n', '--tcp=80:8080', '--node-port=30777']);
    kl.k(['create', 'service', 'loadbalancer', 'cs-l', '--tcp=80:8080']);
    kl.k(['create', 'service', 'externalname', 'cs-e', '--external-name=example.com']);
    const rows = new Map(tableRows(kl.k(['get', 'svc', 'cs-c', 'cs-n', 'cs-l', 'cs-e'])).slice(1).map((r) => [r[0], r]));
    assert.deepEqual(rows.get('cs-c')!.slice(1, 5).map((c, i) => (i === 1 ? /^127\./.test(c) : c)), ['ClusterIP', true, '<none>', '80/TCP']);
    assert.deepEqual([rows.get('cs-n')![1], rows.get('cs-n')![4]], ['NodePort', '80:30777/TCP']);
    assert.equal(rows.get('cs-l')![1], 'LoadBalancer');
    assert.match(rows.get('cs-l')![4]!, /^80:3\d{4}\/TCP$/);
    assert.deepEqual(rows.get('cs-e')!.slice(1, 5), ['ExternalName', '<none>', 'example.com', '<none>']);
  });

  it('kubectl expose of a deployment gives the seed Service spec, and edit to ClientIP stores timeoutSeconds 10800', () => {
    kl.k(['create', 'deployment', 'http-go', '--image=gasbugs/http-go', '--replicas=3']);
    assert.match(kl.k(['expose', 'deployment', 'http-go', '--port=80', '--target-port=8080', '--name=http-go-svc']), /service\/http-go-svc exposed/);
    const got = JSON.parse(kl.k(['get', 'svc', 'http-go-svc', '-o', 'json'])) as Service;
    const seed = parse(readFileSync(join(FIXTURES_DIR, 'seed-service.yaml'), 'utf8')) as Service;
    assert.deepEqual(got.spec.ports, seed.spec.ports);
    assert.equal(got.spec.type, 'ClusterIP');
    assert.deepEqual(got.spec.selector, { app: 'http-go' });
    assert.equal(got.spec.sessionAffinity, 'None');
    const editor = join(scratch, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/sessionAffinity: None/sessionAffinity: ClientIP/" "$1"\n');
    chmodSync(editor, 0o755);
    const r = kl.kubectl(['edit', 'svc', 'http-go-svc'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /service\/http-go-svc edited/);
    const edited = JSON.parse(kl.k(['get', 'svc', 'http-go-svc', '-o', 'json'])) as Service;
    assert.equal(edited.spec.sessionAffinity, 'ClientIP');
    assert.equal(edited.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds, 10800);
    assert.equal(edited.spec.clusterIP, got.spec.clusterIP);
  });

  it('kubectl describe svc lays the Service out as upstream', () => {
    const out = kl.k(['describe', 'svc', 'http-go-svc']);
    const ip = (JSON.parse(kl.k(['get', 'svc', 'http-go-svc', '-o', 'json'])) as Service).spec.clusterIP!;
    const lines = out.split('\n');
    const want = [
      'Name:                     http-go-svc',
      'Namespace:                default',
      'Labels:                   app=http-go',
      'Annotations:              <none>',
      'Selector:                 app=http-go',
      'Type:                     ClusterIP',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      `IP:                       ${ip}`,
      `IPs:                      ${ip}`,
      'Port:                     <unset>  80/TCP',
      'TargetPort:               8080/TCP',
    ];
    assert.deepEqual(lines.slice(0, want.length), want);
    assert.ok(lines.includes('Session Affinity:         ClientIP'));
    assert.ok(lines.includes('Internal Traffic Policy:  Cluster'));
  });
});

describe('services: allocation under concurrency, restarts and exhaustion', () => {
  it('never gives two of 50 concurrently created Services the same ClusterIP or NodePort, nor reuses them after SIGKILL and restart', async () => {
    const kl = await startKubeloop();
    let again: Kubeloop | undefined;
    try {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => kl.client.services('default').create(svc(`c${i}`, { type: 'NodePort' }))),
      );
      const ips = results.map((s) => s.spec.clusterIP);
      const ports = results.map((s) => s.spec.ports![0]!.nodePort);
      assert.equal(new Set(ips).size, 50);
      assert.equal(new Set(ports).size, 50);
      await kl.kill();
      again = await startKubeloop({ dataDir: kl.dataDir, home: kl.home, ranges: kl.ranges });
      const used = new Set((await again.client.services().list()).items.map((s) => s.spec.clusterIP));
      const usedPorts = new Set((await again.client.services().list()).items.flatMap((s) => (s.spec.ports ?? []).map((p) => p.nodePort).filter(Boolean)));
      for (let i = 0; i < 30; i++) {
        const s = await again.client.services('default').create(svc(`after${i}`, { type: 'NodePort' }));
        assert.ok(!used.has(s.spec.clusterIP), `ClusterIP ${s.spec.clusterIP} handed out twice after restart`);
        assert.ok(!usedPorts.has(s.spec.ports![0]!.nodePort), `nodePort ${s.spec.ports![0]!.nodePort} handed out twice after restart`);
        used.add(s.spec.clusterIP);
        usedPorts.add(s.spec.ports![0]!.nodePort);
      }
    } finally {
      await again?.stop();
      await kl.stop();
    }
  });

  it('answers range is full when the service range is exhausted, and deleting one makes room again', async () => {
    // A /28 has 14 usable addresses; .1 is the kubernetes Service and .10 is held for kube-dns.
    const r = testRanges();
    const kl = await startKubeloop({ args: ['--service-cidr', r.serviceCIDR.replace(/\/16$/, '/28')] });
    try {
      const made: string[] = [];
      let full: { code: number; body: string } | undefined;
      for (let i = 0; i < 20; i++) {
        const r = await kl.raw('POST', '/api/v1/namespaces/default/services', { body: JSON.stringify(svc(`f${i}`, {})) });
        if (r.code === 201) made.push(`f${i}`);
        else {
          full = r;
          break;
        }
      }
      assert.equal(made.length, 12);
      assert.equal(full?.code, 500);
      const st = JSON.parse(full!.body) as Status;
      assert.equal(st.reason, 'InternalError');
      assert.equal(st.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
      await kl.client.services('default').delete(made[3]!);
      const r = await kl.raw('POST', '/api/v1/namespaces/default/services', { body: JSON.stringify(svc('room', {})) });
      assert.equal(r.code, 201);
    } finally {
      await kl.stop();
    }
  });
});
