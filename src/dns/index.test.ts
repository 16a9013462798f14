// End to end: startDns on an in-memory API, answered through real sockets and Debian's dig.
// Objects are created the way the controllers would leave them (EndpointSlices labelled with
// kubernetes.io/service-name, endpoint hostnames from pod hostname/subdomain).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pod, ResourceType } from '../api/index.js';
import { Client, InProcessTransport, type ListOpts } from '../client/index.js';
import { eventually, memoryApi, type MemoryApi } from '../testing/index.js';
import { service, slice } from './_fixtures.js';
import { dig, query, rcodeOf, udp, type Addr } from './_testclient.js';
import { ensureKubeDns, podHostsFile, podResolvConf, startDns, type RunningDns } from './index.js';

const HOST = '127.96.250.15';

describe('startDns answers dig for every record kind (Kubernetes DNS spec, §7 items 16, 45, 46, 47)', () => {
  let api: MemoryApi;
  let dns: RunningDns;
  let addr: Addr;

  before(async () => {
    api = await memoryApi();
    const c = api.client;
    await ensureKubeDns(c, { clusterIP: '127.96.0.10', endpoints: [{ ip: HOST, port: 53 }] });
    await c.services('default').create(service('default/web', { clusterIP: '127.96.0.20', ports: ['http:80/TCP', 'metrics:9090/TCP'] }));
    await c.services('default').create(service('default/externalsvc', { clusterIP: '127.96.0.21', ports: ['http:80/TCP'] }));
    // §47: a headless Service and a pod with hostname + subdomain naming it.
    await c.services('default').create(service('default/pets', { clusterIP: 'None', ports: ['http:80/TCP'] }));
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'rex-7d9f', namespace: 'default' },
      spec: { hostname: 'rex', subdomain: 'pets', containers: [{ name: 'c', image: 'busybox' }] },
    };
    await c.pods('default').create(pod);
    await c.endpointSlices('default').create(
      slice('default/pets-abc', { service: 'pets', endpoints: ['127.244.0.5 hostname=rex', '127.244.1.6'], ports: ['http:8080/TCP'] }),
    );
    await c.services('default').create(service('default/ext', { externalName: 'foo.example.com' }));
    // Never the host's resolvers in tests: no upstreams at all.
    dns = await startDns({ client: c, listen: [{ host: HOST, port: 0 }], upstreams: [] });
    await dns.ready;
    addr = dns.addresses[0]!;
  });
  after(async () => {
    await dns.stop();
    await api.close();
  });

  it('A for a ClusterIP Service (§45)', async () => {
    const r = await dig(addr, ['web.default.svc.cluster.local', 'A']);
    assert.equal(r.status, 'NOERROR');
    assert.ok(r.flags.includes('aa'));
    assert.deepEqual(r.answers, ['web.default.svc.cluster.local. 5 IN A 127.96.0.20']);
  });

  it('SRV for a named port of a ClusterIP Service (§45)', async () => {
    const r = await dig(addr, ['_http._tcp.web.default.svc.cluster.local', 'SRV']);
    assert.deepEqual(r.answers, ['_http._tcp.web.default.svc.cluster.local. 5 IN SRV 0 100 80 web.default.svc.cluster.local.']);
    assert.deepEqual(r.additionals, ['web.default.svc.cluster.local. 5 IN A 127.96.0.20']);
  });

  it('PTR for a ClusterIP (§45)', async () => {
    const r = await dig(addr, ['-x', '127.96.0.20']);
    assert.deepEqual(r.answers, ['20.0.96.127.in-addr.arpa. 5 IN PTR web.default.svc.cluster.local.']);
  });

  it('A per ready endpoint for a headless Service (§45)', async () => {
    const r = await dig(addr, ['pets.default.svc.cluster.local', 'A']);
    assert.deepEqual(r.answers.sort(), ['pets.default.svc.cluster.local. 5 IN A 127.244.0.5', 'pets.default.svc.cluster.local. 5 IN A 127.244.1.6']);
  });

  it('SRV per ready endpoint of a headless Service, targeting endpoint names (§45)', async () => {
    const r = await dig(addr, ['_http._tcp.pets.default.svc.cluster.local', 'SRV']);
    assert.deepEqual(r.answers.sort(), [
      '_http._tcp.pets.default.svc.cluster.local. 5 IN SRV 0 50 8080 127-244-1-6.pets.default.svc.cluster.local.',
      '_http._tcp.pets.default.svc.cluster.local. 5 IN SRV 0 50 8080 rex.pets.default.svc.cluster.local.',
    ]);
  });

  it('A for a pod with hostname and subdomain at hostname.subdomain.ns.svc, the name its /etc/hosts carries (§47)', async () => {
    const r = await dig(addr, ['rex.pets.default.svc.cluster.local', 'A']);
    assert.deepEqual(r.answers, ['rex.pets.default.svc.cluster.local. 5 IN A 127.244.0.5']);
    const pod = await api.client.pods('default').get('rex-7d9f');
    assert.match(podHostsFile(pod, { podIP: '127.244.0.5' }), /^127\.244\.0\.5\trex\.pets\.default\.svc\.cluster\.local\trex$/m);
  });

  it('PTR for a headless endpoint, by hostname', async () => {
    const r = await dig(addr, ['-x', '127.244.0.5']);
    assert.deepEqual(r.answers, ['5.0.244.127.in-addr.arpa. 5 IN PTR rex.pets.default.svc.cluster.local.']);
  });

  it('CNAME for an ExternalName Service (§46)', async () => {
    const r = await dig(addr, ['ext.default.svc.cluster.local', 'CNAME']);
    assert.deepEqual(r.answers, ['ext.default.svc.cluster.local. 5 IN CNAME foo.example.com.']);
  });

  it('the CNAME follows a change of externalName, then an A record after a change to ClusterIP (§46)', async () => {
    const c = api.client.services('default');
    const ext = await c.get('ext');
    await c.update({ ...ext, spec: { ...ext.spec, externalName: 'bar.example.com' } });
    await eventually(async () => (await dig(addr, ['ext.default.svc.cluster.local', 'CNAME'])).answers[0] === 'ext.default.svc.cluster.local. 5 IN CNAME bar.example.com.', { timeoutMs: 5000, intervalMs: 50 });
    const cur = await c.get('ext');
    await c.update({ ...cur, spec: { type: 'ClusterIP', clusterIP: '127.96.0.22', clusterIPs: ['127.96.0.22'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    await eventually(async () => (await dig(addr, ['ext.default.svc.cluster.local', 'A'])).answers[0] === 'ext.default.svc.cluster.local. 5 IN A 127.96.0.22', { timeoutMs: 5000, intervalMs: 50 });
  });

  it('a ClusterIP Service changed to ExternalName pointing at another Service resolves through it (§16)', async () => {
    const c = api.client.services('default');
    const created = await c.create(service('default/to-external', { clusterIP: '127.96.0.23', ports: ['http:80/TCP'] }));
    await c.update({ ...created, spec: { type: 'ExternalName', externalName: 'externalsvc.default.svc.cluster.local', clusterIP: '', ports: created.spec.ports ?? [] } });
    await eventually(
      async () => {
        const r = await dig(addr, ['to-external.default.svc.cluster.local', 'A']);
        return (
          r.answers.join('\n') ===
          ['to-external.default.svc.cluster.local. 5 IN CNAME externalsvc.default.svc.cluster.local.', 'externalsvc.default.svc.cluster.local. 5 IN A 127.96.0.21'].join('\n')
        );
      },
      { timeoutMs: 5000, intervalMs: 50 },
    );
  });

  it('TXT dns-version', async () => {
    const r = await dig(addr, ['dns-version.cluster.local', 'TXT']);
    assert.deepEqual(r.answers, ['dns-version.cluster.local. 5 IN TXT "1.1.0"']);
  });

  it('NXDOMAIN for a missing Service, NODATA (NOERROR, empty) for AAAA of an existing one', async () => {
    const nx = await dig(addr, ['missing.default.svc.cluster.local', 'A']);
    assert.equal(nx.status, 'NXDOMAIN');
    assert.match(nx.authority[0] ?? '', /^cluster\.local\. 5 IN SOA ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 5$/);
    const nodata = await dig(addr, ['web.default.svc.cluster.local', 'AAAA']);
    assert.equal(nodata.status, 'NOERROR');
    assert.deepEqual(nodata.answers, []);
  });

  it('answers case-insensitively', async () => {
    const r = await dig(addr, ['WEB.DEFAULT.SVC.CLUSTER.LOCAL', 'A']);
    assert.deepEqual(r.answers, ['WEB.DEFAULT.SVC.CLUSTER.LOCAL. 5 IN A 127.96.0.20']);
  });

  it('A for a dashed pod IP under <ns>.pod', async () => {
    const r = await dig(addr, ['127-244-0-5.default.pod.cluster.local', 'A']);
    assert.deepEqual(r.answers, ['127-244-0-5.default.pod.cluster.local. 5 IN A 127.244.0.5']);
  });

  it('A for the kube-dns Service that pods resolv.conf names', async () => {
    const r = await dig(addr, ['kube-dns.kube-system.svc.cluster.local', 'A']);
    assert.deepEqual(r.answers, ['kube-dns.kube-system.svc.cluster.local. 5 IN A 127.96.0.10']);
    const pod = await api.client.pods('default').get('rex-7d9f');
    assert.match(podResolvConf(pod, { clusterDomain: 'cluster.local', nameserver: '127.96.0.10', hostResolvConf: '' }), /^nameserver 127\.96\.0\.10$/m);
  });

  it('follows a new Service and its deletion', async () => {
    const c = api.client.services('default');
    await c.create(service('default/late', { clusterIP: '127.96.0.24' }));
    await eventually(async () => (await dig(addr, ['late.default.svc.cluster.local', 'A'])).status === 'NOERROR', { timeoutMs: 5000, intervalMs: 50 });
    await c.delete('late');
    await eventually(async () => (await dig(addr, ['late.default.svc.cluster.local', 'A'])).status === 'NXDOMAIN', { timeoutMs: 5000, intervalMs: 50 });
  });
});

/** The in-process transport, holding EndpointSlice lists until `open()`. */
class GatedTransport extends InProcessTransport {
  private opened!: () => void;
  private readonly gate = new Promise<void>((r) => (this.opened = r));
  open(): void {
    this.opened();
  }
  override async list(t: ResourceType, ns: string | undefined, o: ListOpts) {
    if (t.plural === 'endpointslices') await this.gate;
    return super.list(t, ns, o);
  }
}

describe('startDns before its first sync', () => {
  let api: MemoryApi;
  let dns: RunningDns;
  let gated: GatedTransport;
  before(async () => {
    api = await memoryApi();
    await api.client.services('default').create(service('default/web', { clusterIP: '127.96.0.20' }));
    gated = new GatedTransport(api.registry);
    dns = await startDns({ client: new Client(gated), listen: [{ host: HOST, port: 0 }], upstreams: [] });
  });
  after(async () => {
    gated.open();
    await dns.stop();
    await api.close();
  });

  it('answers SERVFAIL until Services and EndpointSlices are listed, then answers', async () => {
    const addr = dns.addresses[0]!;
    assert.equal((await dig(addr, ['web.default.svc.cluster.local', 'A'])).status, 'SERVFAIL');
    assert.equal(rcodeOf(await udp(addr, query('missing.default.svc.cluster.local', 'A'))), 'SERVFAIL');
    gated.open();
    await dns.ready;
    assert.deepEqual((await dig(addr, ['web.default.svc.cluster.local', 'A'])).answers, ['web.default.svc.cluster.local. 5 IN A 127.96.0.20']);
  });
});

describe('startDns options', () => {
  it('serves the configured zone and TTL', async () => {
    const api = await memoryApi();
    const dns = await startDns({ client: api.client, listen: [{ host: HOST, port: 0 }], clusterDomain: 'kube.test', ttl: 30, upstreams: [] });
    try {
      await api.client.services('default').create(service('default/web', { clusterIP: '127.96.0.20' }));
      await dns.ready;
      await eventually(() => dns.index.service('default', 'web'));
      const r = await dig(dns.addresses[0]!, ['web.default.svc.kube.test', 'A']);
      assert.deepEqual(r.answers, ['web.default.svc.kube.test. 30 IN A 127.96.0.20']);
      assert.equal((await dig(dns.addresses[0]!, ['web.default.svc.cluster.local', 'A'])).status, 'SERVFAIL', 'another zone is forwarded, and there is no upstream');
    } finally {
      await dns.stop();
      await api.close();
    }
  });

  it('rejects when it cannot listen, naming the address, and leaves nothing running', async () => {
    const api = await memoryApi();
    const first = await startDns({ client: api.client, listen: [{ host: HOST, port: 0 }], upstreams: [] });
    try {
      const port = first.addresses[0]!.port;
      await assert.rejects(startDns({ client: api.client, listen: [{ host: HOST, port }], upstreams: [] }), new RegExp(`^Error: Cannot listen on ${HOST.replace(/\./g, '\\.')}:${port}/udp: `));
    } finally {
      await first.stop();
      await api.close();
    }
  });
});
