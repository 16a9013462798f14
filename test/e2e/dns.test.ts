// [dns] acceptance: cluster DNS through dig at the kube-dns ClusterIP, from busybox pods, the pods'
// resolv.conf, §7 items 16 and 45–47, and the seed's frontend → backend-by-name across a rollout.
//
// Network rule: every name asked here is one the cluster answers itself (inside cluster.local, or
// the reverse name of a cluster-owned IP). Anything else would be forwarded to the host's
// resolvers, which need not be on 127/8 — so ExternalName targets outside the zone are asked
// for their CNAME only, never followed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Service } from '../../src/api/index.js';
import { startKubeloop, type Kubeloop } from './harness.js';
import { dig, podGone, ptrName, requireDig, runningPods, until, type DigResult } from './_streams_dns.js';

const ZONE = 'cluster.local';
const fqdn = (name: string, ns = 'default') => `${name}.${ns}.svc.${ZONE}`;
const dashed = (ip: string) => ip.replace(/\./g, '-');
const data = (r: DigResult, type: string) => r.answer.filter((a) => a.type === type).map((a) => a.data).sort();

const MANIFESTS = `
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: http-go}
  ports:
  - {name: http, port: 80, targetPort: 8080, protocol: TCP}
  - {name: stats, port: 9090, targetPort: 9090, protocol: UDP}
---
apiVersion: v1
kind: Service
metadata: {name: externalsvc}
spec:
  selector: {app: http-go}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: hl}
spec:
  clusterIP: None
  selector: {app: hl}
  ports: [{name: http, port: 8080, protocol: TCP}]
---
apiVersion: v1
kind: Pod
metadata: {name: hl-a, labels: {app: hl}}
spec:
  hostname: alpha
  subdomain: hl
  containers: [{name: c, image: kubeloop/hello}]
---
apiVersion: v1
kind: Pod
metadata: {name: hl-b, labels: {app: hl}}
spec:
  containers: [{name: c, image: kubeloop/hello}]
---
apiVersion: v1
kind: Pod
metadata: {name: hl-unready, labels: {app: hl}}
spec:
  hostname: never
  subdomain: hl
  containers:
  - name: c
    image: kubeloop/hello
    readinessProbe: {exec: {command: ["false"]}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  type: ExternalName
  externalName: foo.example.com
---
apiVersion: v1
kind: Pod
metadata: {name: bb}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: dns-default}
spec:
  dnsPolicy: Default
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: dns-none}
spec:
  dnsPolicy: None
  dnsConfig:
    nameservers: [127.0.0.53]
    searches: [ns1.svc.cluster-domain.example, my.dns.search.suffix]
    options: [{name: ndots, value: "2"}, {name: edns0}]
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: v1
kind: Pod
metadata: {name: bb-other, namespace: other}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
`;

describe('dns: cluster DNS at the kube-dns ClusterIP', () => {
  let kl: Kubeloop;
  let dir: string;
  let dnsIP: string;
  let web: { name: string; ip: string }[];
  let hlA: { name: string; ip: string };
  let hlB: { name: string; ip: string };
  let hlUnready: { name: string; ip: string };
  const ip = (svc: string, ns = 'default'): string => kl.k(['get', 'svc', svc, '-n', ns, '-o', 'jsonpath={.spec.clusterIP}']).trim();
  const q = (name: string, type: string, opts: { tcp?: boolean; options?: string[] } = {}) => dig(dnsIP, name, type, opts);

  before(async () => {
    requireDig();
    kl = await startKubeloop({ args: ['--nodes', '2'] });
    dir = mkdtempSync(join(tmpdir(), 'kubeloop-dns-'));
    kl.k(['create', 'deployment', 'http-go', '--image=gasbugs/http-go', '--replicas=2']);
    kl.k(['expose', 'deployment', 'http-go', '--port=80', '--target-port=8080', '--name=http-go-svc']);
    writeFileSync(join(dir, 'all.yaml'), MANIFESTS);
    kl.k(['apply', '--validate=false', '-f', join(dir, 'all.yaml')]);
    dnsIP = ip('kube-dns', 'kube-system');
    web = await runningPods(kl, 'app=http-go', { count: 2, httpPort: 8080 });
    const hl = await runningPods(kl, 'app=hl', { count: 3 });
    const byName = (n: string) => hl.find((p) => p.name === n) ?? assert.fail(`pod ${n} is not running`);
    [hlA, hlB, hlUnready] = [byName('hl-a'), byName('hl-b'), byName('hl-unready')];
    const plain = await runningPods(kl, '!app', { count: 3 });
    assert.deepEqual(plain.map((p) => p.name).sort(), ['bb', 'dns-default', 'dns-none']);
    await runningPods(kl, '!app', { count: 1, namespace: 'other' });
    // The headless Service publishes its two ready pods once the slice controller saw them.
    await until(() => q(fqdn('hl'), 'A').answer.length === 2, { what: 'the headless Service to publish its ready pods' });
  });

  after(async () => {
    await kl?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('kube-dns is a ClusterIP Service in kube-system at the .10 address of the service range', () => {
    assert.equal(dnsIP, kl.ranges.serviceCIDR.replace(/0\.0\/16$/, '0.10'));
    assert.match(kl.k(['get', 'svc', '-n', 'kube-system', 'kube-dns']), /kube-dns\s+ClusterIP\s+\S+\s+<none>\s+53\/UDP,53\/TCP/);
  });

  it('(45) answers A for a ClusterIP Service with its ClusterIP, authoritatively, over UDP and TCP', () => {
    for (const tcp of [false, true]) {
      const r = q(fqdn('web'), 'A', { tcp });
      assert.equal(r.status, 'NOERROR');
      assert.ok(r.flags.includes('aa'), `flags ${r.flags.join(' ')}`);
      assert.deepEqual(data(r, 'A'), [ip('web')]);
      assert.deepEqual(r.answer.map((a) => a.name), [`${fqdn('web')}.`]);
    }
    assert.deepEqual(data(q(fqdn('http-go-svc'), 'A'), 'A'), [ip('http-go-svc')]);
  });

  it('matches names case-insensitively and answers in the spelling of the question', () => {
    const r = q('WEB.Default.SVC.Cluster.LOCAL', 'A');
    assert.equal(r.status, 'NOERROR');
    assert.deepEqual(data(r, 'A'), [ip('web')]);
    assert.deepEqual(r.answer.map((a) => a.name), ['WEB.Default.SVC.Cluster.LOCAL.']);
    assert.deepEqual(data(q(`_HTTP._Tcp.Web.default.svc.${ZONE}`, 'SRV'), 'SRV'), [`0 100 80 ${fqdn('web')}.`]);
    assert.deepEqual(data(q(`ALPHA.HL.default.svc.${ZONE}`, 'A'), 'A'), [hlA.ip]);
  });

  it('(45) answers SRV for each named port of a ClusterIP Service with the ClusterIP as glue, and none for unnamed ports', () => {
    const http = q(`_http._tcp.${fqdn('web')}`, 'SRV');
    assert.equal(http.status, 'NOERROR');
    assert.deepEqual(data(http, 'SRV'), [`0 100 80 ${fqdn('web')}.`]);
    assert.deepEqual(
      http.additional.filter((a) => a.type === 'A').map((a) => [a.name, a.data]),
      [[`${fqdn('web')}.`, ip('web')]],
    );
    assert.deepEqual(data(q(`_stats._udp.${fqdn('web')}`, 'SRV'), 'SRV'), [`0 100 9090 ${fqdn('web')}.`]);
    assert.equal(q(`_stats._tcp.${fqdn('web')}`, 'SRV').status, 'NXDOMAIN', 'the protocol is part of the name');
    // kubectl expose made http-go-svc's only port without a name.
    assert.equal(q(`_http._tcp.${fqdn('http-go-svc')}`, 'SRV').status, 'NXDOMAIN');
  });

  it('(45) headless: A per ready endpoint, <hostname>.<svc> records (dashed IP without a hostname), SRV per endpoint', () => {
    const all = q(fqdn('hl'), 'A');
    assert.equal(all.status, 'NOERROR');
    assert.deepEqual(data(all, 'A'), [hlA.ip, hlB.ip].sort(), 'the unready pod is not published');
    assert.deepEqual(data(q(`alpha.${fqdn('hl')}`, 'A'), 'A'), [hlA.ip]);
    assert.deepEqual(data(q(`${dashed(hlB.ip)}.${fqdn('hl')}`, 'A'), 'A'), [hlB.ip]);
    assert.equal(q(`never.${fqdn('hl')}`, 'A').status, 'NXDOMAIN', 'an unready endpoint has no hostname record');
    assert.equal(q(`${dashed(hlUnready.ip)}.${fqdn('hl')}`, 'A').status, 'NXDOMAIN');
    const srv = q(`_http._tcp.${fqdn('hl')}`, 'SRV');
    assert.deepEqual(
      data(srv, 'SRV').map((s) => s.split(' ').slice(2).join(' ')),
      [`8080 ${dashed(hlB.ip)}.${fqdn('hl')}.`, `8080 alpha.${fqdn('hl')}.`].sort(),
    );
    assert.deepEqual(
      srv.additional
        .filter((a) => a.type === 'A')
        .map((a) => `${a.name} ${a.data}`)
        .sort(),
      [`alpha.${fqdn('hl')}. ${hlA.ip}`, `${dashed(hlB.ip)}.${fqdn('hl')}. ${hlB.ip}`].sort(),
    );
  });

  it('truncates a headless answer too big for 512 bytes over UDP (TC), and serves it whole over TCP', async () => {
    // 30 endpoints from an EndpointSlice of our own: addresses in the pod range that no pod uses.
    const net = kl.ranges.podCIDR.replace(/\.0\.0\/16$/, '');
    const ips = Array.from({ length: 30 }, (_, i) => `${net}.200.${i + 2}`);
    kl.k(['create', 'service', 'clusterip', 'many', '--clusterip=None', '--tcp=80:80']);
    await kl.client.endpointSlices('default').create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'many-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'many' } },
      addressType: 'IPv4',
      ports: [{ name: '80-80', port: 80, protocol: 'TCP' }],
      endpoints: ips.map((a) => ({ addresses: [a], conditions: { ready: true } })),
    });
    const whole = await until(
      () => {
        const r = q(fqdn('many'), 'A', { tcp: true });
        return r.answer.length === ips.length ? r : undefined;
      },
      { what: 'the 30 endpoints over TCP' },
    );
    assert.deepEqual(data(whole, 'A'), [...ips].sort());
    const cut = q(fqdn('many'), 'A', { options: ['+noedns', '+ignore'] });
    assert.ok(cut.flags.includes('tc'), `flags ${cut.flags.join(' ')}`);
    assert.ok(cut.answer.length > 0 && cut.answer.length < ips.length, `${cut.answer.length} answers in 512 bytes`);
    // dig, like a stub resolver, retries a truncated answer over TCP.
    assert.deepEqual(data(q(fqdn('many'), 'A', { options: ['+noedns'] }), 'A'), [...ips].sort());
  });

  it('(45) answers PTR for a ClusterIP and for headless endpoints', () => {
    const svcPtr = q(ptrName(ip('web')), 'PTR');
    assert.equal(svcPtr.status, 'NOERROR');
    assert.deepEqual(data(svcPtr, 'PTR'), [`${fqdn('web')}.`]);
    assert.deepEqual(data(q(ptrName(hlA.ip), 'PTR'), 'PTR'), [`alpha.${fqdn('hl')}.`]);
    assert.deepEqual(data(q(ptrName(hlB.ip), 'PTR'), 'PTR'), [`${dashed(hlB.ip)}.${fqdn('hl')}.`]);
  });

  it('answers A for a pod by its dashed IP under <ns>.pod', () => {
    const r = q(`${dashed(hlA.ip)}.default.pod.${ZONE}`, 'A');
    assert.equal(r.status, 'NOERROR');
    assert.deepEqual(data(r, 'A'), [hlA.ip]);
  });

  it('answers an ExternalName Service with a CNAME to its externalName', () => {
    const r = q(fqdn('ext'), 'CNAME');
    assert.equal(r.status, 'NOERROR');
    assert.deepEqual(data(r, 'CNAME'), ['foo.example.com.']);
  });

  it('answers TXT "1.1.0" for dns-version', () => {
    const r = q(`dns-version.${ZONE}`, 'TXT');
    assert.equal(r.status, 'NOERROR');
    assert.deepEqual(data(r, 'TXT'), ['"1.1.0"']);
  });

  it('tells NXDOMAIN from NODATA, both with the zone SOA', () => {
    const cases: [string, string, string][] = [
      [fqdn('nope'), 'A', 'NXDOMAIN'],
      [`nosuchns.svc.${ZONE}`, 'A', 'NXDOMAIN'],
      [`x.y.${fqdn('web')}`, 'A', 'NXDOMAIN'],
      [fqdn('web'), 'AAAA', 'NOERROR'],
      [fqdn('web'), 'TXT', 'NOERROR'],
      [`default.svc.${ZONE}`, 'A', 'NOERROR'],
      [`svc.${ZONE}`, 'A', 'NOERROR'],
      [`alpha.${fqdn('hl')}`, 'AAAA', 'NOERROR'],
    ];
    for (const [name, type, status] of cases) {
      const r = q(name, type);
      assert.equal(r.status, status, `${name} ${type}`);
      assert.deepEqual(r.answer, [], `${name} ${type} has no answers`);
      assert.deepEqual(
        r.authority.map((a) => [a.name, a.type]),
        [[`${ZONE}.`, 'SOA']],
        `${name} ${type} carries the SOA`,
      );
    }
  });

  it('from a busybox pod: nslookup http-go-svc, and wget by short name and by FQDN reach the Service', () => {
    const clusterIP = ip('http-go-svc');
    // busybox's nslookup also asks the other search domains and exits 1 on their NXDOMAIN, as it
    // does against CoreDNS; the first search domain's answer is what counts.
    const ns = kl.kubectl(['exec', 'bb', '--', 'nslookup', 'http-go-svc']);
    assert.match(ns.stdout, new RegExp(`^Server:\\s+${dnsIP}$`, 'm'));
    assert.match(ns.stdout, new RegExp(`^Name:\\s+${fqdn('http-go-svc').replace(/\./g, '\\.')}\\nAddress: ${clusterIP.replace(/\./g, '\\.')}$`, 'm'));
    const names = web.map((p) => `${p.name}\n`);
    for (const target of ['http-go-svc', fqdn('http-go-svc')]) {
      const body = kl.k(['exec', 'bb', '--', 'wget', '-O-', '-q', target]);
      assert.ok(names.includes(body), `wget ${target} answered ${JSON.stringify(body)}`);
    }
  });

  it("a pod's /etc/resolv.conf names kube-dns, the namespace's search path and ndots:5; dnsPolicy Default and None + dnsConfig are honoured", () => {
    const lines = (pod: string, ns = 'default') => kl.k(['exec', '-n', ns, pod, '--', 'cat', '/etc/resolv.conf']).trim().split('\n');
    assert.deepEqual(lines('bb').sort(), [`nameserver ${dnsIP}`, `search default.svc.${ZONE} svc.${ZONE} ${ZONE}`, 'options ndots:5'].sort());
    assert.deepEqual(lines('bb-other', 'other').sort(), [`nameserver ${dnsIP}`, `search other.svc.${ZONE} svc.${ZONE} ${ZONE}`, 'options ndots:5'].sort());
    const host = readFileSync('/etc/resolv.conf', 'utf8')
      .split('\n')
      .filter((l) => /^nameserver\s/.test(l))
      .map((l) => l.trim().split(/\s+/)[1])
      .slice(0, 3); // the kubelet keeps at most three nameservers
    const dflt = lines('dns-default');
    assert.deepEqual(
      dflt.filter((l) => l.startsWith('nameserver')).map((l) => l.split(/\s+/)[1]),
      host,
      'dnsPolicy Default uses the node resolvers',
    );
    assert.ok(!dflt.some((l) => l.includes(dnsIP)), 'dnsPolicy Default does not name kube-dns');
    assert.deepEqual(lines('dns-none').sort(), ['nameserver 127.0.0.53', 'search ns1.svc.cluster-domain.example my.dns.search.suffix', 'options ndots:2 edns0'].sort());
  });

  it('(47) a pod with hostname and subdomain of a headless Service gets <hostname>.<svc> in DNS, its hostname and /etc/hosts', () => {
    assert.deepEqual(data(q(`alpha.${fqdn('hl')}`, 'A'), 'A'), [hlA.ip]);
    assert.equal(kl.k(['exec', 'hl-a', '--', 'hostname']).trim(), 'alpha');
    assert.match(kl.k(['exec', 'hl-a', '--', 'cat', '/etc/hosts']), new RegExp(`^${hlA.ip.replace(/\./g, '\\.')}\\s+alpha\\.hl\\.default\\.svc\\.cluster\\.local\\s+alpha$`, 'm'));
    const ns = kl.kubectl(['exec', 'bb', '--', 'nslookup', `alpha.${fqdn('hl')}`]);
    assert.equal(ns.code, 0, ns.stdout + ns.stderr);
    assert.match(ns.stdout, new RegExp(`Address: ${hlA.ip.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('(16) ClusterIP → ExternalName clears clusterIP, and the name resolves as a CNAME to the other Service', async () => {
    kl.k(['create', 'service', 'clusterip', 'to-external', '--tcp=80:8080']);
    assert.deepEqual(data(q(fqdn('to-external'), 'A'), 'A'), [ip('to-external')]);
    const changed = JSON.parse(
      kl.k(['patch', 'svc', 'to-external', '--type=merge', '-o', 'json', '-p', JSON.stringify({ spec: { type: 'ExternalName', externalName: fqdn('externalsvc') } })]),
    ) as Service;
    assert.equal(changed.spec.type, 'ExternalName');
    assert.equal(changed.spec.clusterIP ?? '', '');
    assert.deepEqual(changed.spec.clusterIPs ?? [], []);
    const r = await until(
      () => {
        const a = q(fqdn('to-external'), 'A');
        return data(a, 'CNAME').length ? a : undefined;
      },
      { what: 'the CNAME' },
    );
    assert.deepEqual(data(r, 'CNAME'), [`${fqdn('externalsvc')}.`]);
    assert.deepEqual(data(r, 'A'), [ip('externalsvc')], 'the CNAME is followed inside the zone');
    const body = kl.k(['exec', 'bb', '--', 'wget', '-O-', '-q', 'to-external']);
    assert.ok(
      web.some((p) => body === `${p.name}\n`),
      `wget to-external answered ${JSON.stringify(body)}`,
    );
  });

  it('(46) an ExternalName CNAME follows externalName changes and becomes an A record after changing to ClusterIP', async () => {
    kl.k(['create', 'service', 'externalname', 'dns-test-service-3', '--external-name=foo.example.com']);
    const cname = () => data(q(fqdn('dns-test-service-3'), 'CNAME'), 'CNAME');
    await until(() => cname()[0] === 'foo.example.com.', { what: 'CNAME foo.example.com' });
    kl.k(['patch', 'svc', 'dns-test-service-3', '--type=merge', '-p', '{"spec":{"externalName":"bar.example.com"}}']);
    await until(() => cname()[0] === 'bar.example.com.', { what: 'CNAME bar.example.com' });
    kl.k(['patch', 'svc', 'dns-test-service-3', '--type=merge', '-p', JSON.stringify({ spec: { type: 'ClusterIP', externalName: null, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } })]);
    const clusterIP = ip('dns-test-service-3');
    assert.match(clusterIP, /^127\./);
    const a = await until(
      () => {
        const r = q(fqdn('dns-test-service-3'), 'A');
        return data(r, 'A').length ? r : undefined;
      },
      { what: 'the A record' },
    );
    assert.deepEqual(data(a, 'A'), [clusterIP]);
    assert.deepEqual(data(a, 'CNAME'), []);
  });

  it('headless records follow the endpoints: a deleted pod leaves the A set and its records', async () => {
    kl.k(['delete', 'pod', 'hl-b', '--wait=false']);
    await until(() => data(q(fqdn('hl'), 'A'), 'A').join() === hlA.ip, { what: 'hl-b to leave the headless A records' });
    assert.equal(q(`${dashed(hlB.ip)}.${fqdn('hl')}`, 'A').status, 'NXDOMAIN');
    assert.deepEqual(data(q(`_http._tcp.${fqdn('hl')}`, 'SRV'), 'SRV'), [`0 100 8080 alpha.${fqdn('hl')}.`]);
    await until(() => podGone(kl, 'hl-b'), { ms: 15_000, what: 'pod hl-b to be gone' });
  });

  it('seed: a frontend reaches its redis backend by Service name across a rollout restart that changes every backend pod IP', async () => {
    kl.k(['create', 'deployment', 'backend', '--image=redis', '--replicas=2', '--port=6379']);
    kl.k(['expose', 'deployment', 'backend', '--port=6379']);
    const before = await runningPods(kl, 'app=backend', { count: 2 });
    // The frontend asks "which address do you bind?" by Service name five times a second; it is
    // never told about pods or IPs.
    const frontend = `
apiVersion: v1
kind: Pod
metadata: {name: frontend}
spec:
  containers:
  - name: fe
    image: redis
    command: [sh, -c, 'while :; do echo "$(redis-cli -h backend --raw CONFIG GET bind 2>&1 | tr "\\n" " ")"; sleep 0.2; done']
`;
    writeFileSync(join(dir, 'frontend.yaml'), frontend);
    kl.k(['apply', '--validate=false', '-f', join(dir, 'frontend.yaml')]);
    const answers = () =>
      kl
        .k(['logs', 'frontend'])
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    const oldIPs = new Set(before.map((p) => p.ip));
    await until(() => answers().some((l) => oldIPs.has(l.slice('bind '.length))), { ms: 15_000, what: 'the frontend to reach an old backend' });

    assert.match(kl.k(['rollout', 'restart', 'deployment/backend']), /deployment\.apps\/backend restarted/);
    const status = kl.kubectl(['rollout', 'status', 'deployment/backend', '--timeout=60s']);
    assert.equal(status.code, 0, status.stderr);
    const afterPods = await runningPods(kl, 'app=backend', { count: 2, ms: 30_000 });
    const newIPs = new Set(afterPods.map((p) => p.ip));
    assert.deepEqual(
      [...newIPs].filter((x) => oldIPs.has(x)),
      [],
      'every backend pod IP changed',
    );
    const seenBefore = answers().length;
    await until(
      () => {
        const fresh = answers().slice(seenBefore);
        return fresh.length >= 10 && [...newIPs].every((x) => fresh.some((l) => l === `bind ${x}`));
      },
      { ms: 20_000, what: 'the frontend to reach both new backends' },
    );
    const last = answers().slice(-10);
    assert.ok(
      last.every((l) => newIPs.has(l.slice('bind '.length))),
      `after the rollout only new pods answer: ${last.join(' | ')}`,
    );
    const failures = answers().filter((l) => !/^bind 127\.\d+\.\d+\.\d+$/.test(l));
    assert.deepEqual(failures, [], 'no request failed, before, during or after the rollout');
  });
});
