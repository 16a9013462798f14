// [proxy] acceptance: Service traffic through a real `kubeloop up --nodes 2`, with the real kubectl,
// curl from the host and busybox wget from pods. Numbers in test names are the acceptance cases of
// reference/k8s-services.md §7.
//
// Loopback mode: a pod's own outgoing connections leave from 127.0.0.1 unless the program binds
// its pod IP, so a client "on node N" is a pod running `curl --interface $POD_IP`, or the host
// binding an unused address of node N's pod /24 (`curl --interface 127.P.N.2xx`).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Deployment, Endpoints, Pod } from '../../src/api/index.js';
import { startKubeloop, tableRows, type Kubeloop } from './harness.js';
import {
  CURL_REFUSED,
  CURL_TIMEOUT,
  agnhostPod,
  apply,
  busyboxPod,
  curl,
  curlMany,
  distinct,
  firstAnswer,
  nodesOf,
  service,
  serviceOf,
  shIn,
  sleep,
  sliceEndpoints,
  until,
  waitReady,
  waitServing,
  waitSlices,
  wgetFromPod,
  unusedTestRanges,
  type NodeAddresses,
} from './_traffic.js';

const NETEXEC_80 = ['netexec', '--http-port=80', '--udp-port=-1'];

/** `ip:port` of every ready address of an Endpoints object, sorted. */
async function endpointAddresses(kl: Kubeloop, name: string): Promise<string[]> {
  const ep: Endpoints = await kl.client.endpoints('default').get(name);
  return (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports ?? []).map((p) => `${a.ip}:${p.port}`))).sort();
}

async function waitEndpoints(kl: Kubeloop, name: string, want: string[]): Promise<void> {
  const sorted = [...want].sort();
  await until(`Endpoints ${name} = [${sorted.join(',')}]`, async () => JSON.stringify(await endpointAddresses(kl, name)) === JSON.stringify(sorted));
}

const podIP = async (kl: Kubeloop, name: string): Promise<string> => {
  const ip = (await kl.client.pods('default').get(name)).status?.podIP;
  if (!ip) throw new Error(`pod ${name} has no IP`);
  return ip;
};

/** Requests `url` until every name in `want` has answered (at most `max` requests); returns what answered. */
async function answersUntilAll(url: string, want: readonly string[], o: { max?: number; source?: string } = {}): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < (o.max ?? 40) && want.some((w) => !seen.has(w)); i++) {
    const r = await curl(url, o.source ? { source: o.source } : {});
    assert.equal(r.code, 0, `request to ${url} failed: ${r.stderr}`);
    seen.add(r.body.trim());
  }
  return [...seen].sort();
}

/** A deployment of `replicas` kubeloop/hello pods (HTTP 8080, answers its pod name). */
function helloDeployment(name: string, replicas: number): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'hello', image: 'kubeloop/hello' }] } },
    },
  };
}

const namesOf = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata.name ?? '').sort();

describe('proxy: Service traffic on a 2-node cluster', () => {
  let kl: Kubeloop;
  let nodes: NodeAddresses[];
  let scratch: string;
  const n0 = () => nodes[0]!;
  const n1 = () => nodes[1]!;

  before(async () => {
    kl = await startKubeloop({ args: ['--nodes', '2'], ranges: unusedTestRanges() });
    scratch = mkdtempSync(join(tmpdir(), 'kubeloop-proxy-'));
    nodes = await nodesOf(kl);
    assert.equal(nodes.length, 2);
    // Client pods, one per node, for the cases that need a pod client.
    apply(kl, busyboxPod('c0', { node: 'node0' }), busyboxPod('c1', { node: 'node1' }));
  });
  after(async () => {
    await kl?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('(3) serves a basic endpoint from pods: Endpoints follow pods as they come and go, and the ClusterIP reaches exactly them', async () => {
    kl.k(['create', 'service', 'clusterip', 'basic', '--tcp=80:80']);
    const ip = (await service(kl, 'basic')).spec.clusterIP!;
    const url = `http://${ip}/hostname`;
    await waitEndpoints(kl, 'basic', []);
    const placeholder = await until('placeholder slice', async () => {
      const items = (await kl.client.endpointSlices('default').list({ labelSelector: 'kubernetes.io/service-name=basic' })).items;
      return items.length > 0 ? items : undefined;
    });
    assert.equal(placeholder.length, 1);
    assert.equal(placeholder[0]!.endpoints?.length ?? 0, 0);

    apply(kl, agnhostPod('basic1', { labels: { app: 'basic' }, args: NETEXEC_80, port: 80, graceSeconds: 1 }));
    await waitServing(kl, { selector: 'app=basic', count: 1, port: 80 });
    const ip1 = await podIP(kl, 'basic1');
    await waitEndpoints(kl, 'basic', [`${ip1}:80`]);
    assert.equal(await firstAnswer(url), 'basic1');
    assert.deepEqual(distinct(await curlMany(url, 5)), ['basic1']);

    apply(kl, agnhostPod('basic2', { labels: { app: 'basic' }, args: NETEXEC_80, port: 80, graceSeconds: 1 }));
    await waitServing(kl, { selector: 'app=basic', count: 2, port: 80 });
    const ip2 = await podIP(kl, 'basic2');
    await waitEndpoints(kl, 'basic', [`${ip1}:80`, `${ip2}:80`]);
    assert.deepEqual(await answersUntilAll(url, ['basic1', 'basic2']), ['basic1', 'basic2']);

    kl.k(['delete', 'pod', 'basic1', '--wait=false']);
    await waitEndpoints(kl, 'basic', [`${ip2}:80`]);
    await until('only basic2 answers', async () => distinct(await curlMany(url, 10)).join() === 'basic2');

    kl.k(['delete', 'pod', 'basic2', '--wait=false']);
    await waitEndpoints(kl, 'basic', []);
    const refused = await until('connections refused', async () => {
      const r = await curl(url);
      return r.code === CURL_REFUSED ? r : undefined;
    });
    assert.ok(refused.ms < 1000, `refused after ${refused.ms} ms`);
  });

  it('(7) lets the only backend pod reach itself through its own Service (hairpin)', async () => {
    apply(kl, agnhostPod('hairpin', { labels: { app: 'hairpin' }, args: ['netexec', '--http-port=8080', '--udp-port=-1'], port: 8080, graceSeconds: 1 }));
    kl.k(['create', 'service', 'clusterip', 'hairpin', '--tcp=8080:8080']);
    const [pod] = await waitServing(kl, { selector: 'app=hairpin', count: 1, port: 8080 });
    const ip = (await service(kl, 'hairpin')).spec.clusterIP!;
    await waitSlices(kl, 'hairpin', (eps) => eps.length === 1 && eps[0]!.ready);
    // netexec's /dial makes the pod itself connect to the Service and report who answered.
    const dial = `http://${pod!.status!.podIP}:8080/dial?request=hostname&protocol=http&host=${ip}&port=8080&tries=3`;
    const out = JSON.parse(await firstAnswer(dial)) as { responses?: string[]; errors?: string[] };
    assert.deepEqual(out, { responses: ['hairpin', 'hairpin', 'hairpin'] });
  });

  it('(8) lets backends see the client pod address for traffic through the ClusterIP', async () => {
    apply(kl, agnhostPod('echo', { labels: { app: 'echo' }, args: ['netexec', '--http-port=8080', '--udp-port=-1'], port: 8080, node: 'node0', graceSeconds: 1 }));
    kl.k(['create', 'service', 'clusterip', 'echo', '--tcp=80:8080']);
    await waitServing(kl, { selector: 'app=echo', count: 1, port: 8080 });
    const url = `http://${(await service(kl, 'echo')).spec.clusterIP}/clientip`;
    await firstAnswer(url);
    const c1 = await waitReady(kl, 'c1');
    // A pod on the other node that binds its own address, as every pod does in netns mode.
    const fromPod = shIn(kl, 'c1', `curl -sS --interface "$POD_IP" ${url}`);
    assert.equal(fromPod.code, 0, fromPod.stderr);
    assert.equal(fromPod.stdout.split(':')[0], c1.status!.podIP);
    const src = n1().client(1);
    assert.equal((await curlMany(url, 1, { source: src }))[0]!.split(':')[0], src);
  });

  it('(9) serves exactly its own pods on each Service, keeps the others when one goes away, and gives a new Service another IP', async () => {
    apply(kl, helloDeployment('updown1', 3), helloDeployment('updown2', 3));
    kl.k(['expose', 'deployment', 'updown1', '--port=80', '--target-port=8080']);
    kl.k(['expose', 'deployment', 'updown2', '--port=80', '--target-port=8080']);
    const pods1 = namesOf(await waitServing(kl, { selector: 'app=updown1', count: 3, port: 8080 }));
    const pods2 = namesOf(await waitServing(kl, { selector: 'app=updown2', count: 3, port: 8080 }));
    const ip1 = (await service(kl, 'updown1')).spec.clusterIP!;
    const ip2 = (await service(kl, 'updown2')).spec.clusterIP!;
    await waitSlices(kl, 'updown1', (eps) => eps.filter((e) => e.ready).length === 3);
    await waitSlices(kl, 'updown2', (eps) => eps.filter((e) => e.ready).length === 3);
    await waitReady(kl, 'c0');
    for (const [ip, pods] of [[ip1, pods1], [ip2, pods2]] as const) {
      assert.deepEqual(distinct(await curlMany(`http://${ip}/`, 30)), pods, `host network → ${ip}`);
      assert.deepEqual(distinct(wgetFromPod(kl, 'c0', `http://${ip}/`, 30)), pods, `pod c0 → ${ip}`);
    }

    kl.k(['delete', 'service', 'updown1']);
    kl.k(['delete', 'deployment', 'updown1']);
    await until(`${ip1} no longer answers`, async () => (await curl(`http://${ip1}/`)).code === CURL_REFUSED);
    assert.deepEqual(distinct(await curlMany(`http://${ip2}/`, 30)), pods2);

    apply(kl, helloDeployment('updown3', 3));
    kl.k(['expose', 'deployment', 'updown3', '--port=80', '--target-port=8080']);
    const ip3 = (await service(kl, 'updown3')).spec.clusterIP!;
    assert.notEqual(ip3, ip2);
    const pods3 = namesOf(await waitServing(kl, { selector: 'app=updown3', count: 3, port: 8080 }));
    await waitSlices(kl, 'updown3', (eps) => eps.filter((e) => e.ready).length === 3);
    assert.deepEqual(distinct(await curlMany(`http://${ip3}/`, 30)), pods3);
    assert.deepEqual(distinct(wgetFromPod(kl, 'c0', `http://${ip2}/`, 30)), pods2);
  });

  it('(10) works after the Service has been deleted and recreated', async () => {
    apply(kl, helloDeployment('again', 2));
    const pods = namesOf(await waitServing(kl, { selector: 'app=again', count: 2, port: 8080 }));
    kl.k(['expose', 'deployment', 'again', '--port=80', '--target-port=8080']);
    const first = (await service(kl, 'again')).spec.clusterIP!;
    assert.deepEqual(await answersUntilAll(`http://${first}/`, pods), pods);
    kl.k(['delete', 'service', 'again']);
    await until('404 for the deleted Service', async () => (await kl.raw('GET', '/api/v1/namespaces/default/services/again')).code === 404);
    kl.k(['expose', 'deployment', 'again', '--port=80', '--target-port=8080']);
    const second = (await service(kl, 'again')).spec.clusterIP!;
    await firstAnswer(`http://${second}/`);
    assert.deepEqual(await answersUntilAll(`http://${second}/`, pods), pods);
  });

  it('(11) serves a NodePort Service on its name, its ClusterIP, 127.0.0.1 and every node address', async () => {
    for (const [name, node] of [['np-a', 'node0'], ['np-b', 'node1']] as const) {
      apply(kl, agnhostPod(name, { labels: { app: 'np' }, args: ['serve-hostname'], port: 9376, node, graceSeconds: 1 }));
    }
    kl.k(['create', 'service', 'nodeport', 'np', '--tcp=80:9376']);
    const svc = await service(kl, 'np');
    const nodePort = svc.spec.ports![0]!.nodePort!;
    await waitServing(kl, { selector: 'app=np', count: 2, port: 9376 });
    await waitSlices(kl, 'np', (eps) => eps.filter((e) => e.ready).length === 2);
    const both = ['np-a', 'np-b'];
    await firstAnswer(`http://${svc.spec.clusterIP}/`);
    for (const addr of [`${svc.spec.clusterIP}:80`, `127.0.0.1:${nodePort}`, `${n0().ip}:${nodePort}`, `${n1().ip}:${nodePort}`]) {
      assert.deepEqual(await answersUntilAll(`http://${addr}/`, both), both, addr);
    }
    await waitReady(kl, 'c0');
    assert.deepEqual(distinct(wgetFromPod(kl, 'c0', 'http://np/', 30)), both, 'by Service name from a pod');
  });

  it('(21) routes to unready pods while publishNotReadyAddresses is true, also once they terminate', async () => {
    const dep: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'unready', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'unready' } },
        template: {
          metadata: { labels: { app: 'unready' } },
          spec: {
            // serve-hostname keeps serving for 60 s after SIGTERM; the grace period covers the check.
            terminationGracePeriodSeconds: 30,
            containers: [{ name: 'agnhost', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', args: ['serve-hostname'], readinessProbe: { exec: { command: ['/bin/false'] }, periodSeconds: 1 } }],
          },
        },
      },
    };
    apply(kl, dep, serviceOf('unready', { selector: { app: 'unready' }, port: 80, targetPort: 9376, spec: { publishNotReadyAddresses: true } }));
    const eps = await waitSlices(kl, 'unready', (e) => e.length === 1 && e[0]!.ready && !e[0]!.serving);
    const pod = (await kl.client.pods('default').list({ labelSelector: 'app=unready' })).items[0]!;
    assert.equal(eps[0]!.ip, pod.status?.podIP);
    await waitReady(kl, 'c0');
    const byName = 'http://unready.default.svc.cluster.local:80/';
    const fromC0 = async () => {
      const r = shIn(kl, 'c0', `wget -O- -q ${byName}`);
      return r.code === 0 ? r.stdout.trim() : undefined;
    };
    assert.equal(await until('unready pod answers by name', fromC0), pod.metadata.name);

    kl.k(['scale', 'deployment', 'unready', '--replicas=0']);
    await waitSlices(kl, 'unready', (e) => e.length === 1 && e[0]!.terminating && e[0]!.ready);
    kl.k(['patch', 'svc', 'unready', '-p', '{"spec":{"publishNotReadyAddresses":false}}']);
    await waitSlices(kl, 'unready', (e) => e.length === 1 && e[0]!.terminating && !e[0]!.ready);
    const ip = (await service(kl, 'unready')).spec.clusterIP!;
    await until('connections to the terminating unready pod fail', async () => (await curl(`http://${ip}/`)).code === CURL_REFUSED);
    const failing = shIn(kl, 'c0', `wget -O- -q ${byName}`);
    assert.notEqual(failing.code, 0);
    assert.match(failing.stderr, /Connection refused/);

    kl.k(['patch', 'svc', 'unready', '-p', '{"spec":{"publishNotReadyAddresses":true}}']);
    assert.equal(await until('terminating pod answers again', fromC0), pod.metadata.name);
    assert.ok((await kl.client.pods('default').get(pod.metadata.name)).metadata.deletionTimestamp, 'the pod is still terminating');
  });

  it('(22, 23) a terminating, unready only backend keeps answering on the ClusterIP and both nodes\' NodePort with publishNotReadyAddresses true, and stops with false', async () => {
    // netexec delays its shutdown for the grace period; the preStop hook marks the pod as
    // terminating and the readiness probe then fails, so the endpoint is unready and terminating.
    const terminatingUnready = (name: string): Pod =>
      agnhostPod(name, {
        labels: { app: name },
        args: [...NETEXEC_80, '--delay-shutdown=30'],
        port: 80,
        node: 'node0',
        graceSeconds: 30,
        extra: {
          readinessProbe: { exec: { command: ['sh', '-c', 'test ! -e terminating'] }, periodSeconds: 1, failureThreshold: 1 },
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'touch terminating'] } } },
        },
      });
    apply(
      kl,
      terminatingUnready('pnra-true'),
      terminatingUnready('pnra-false'),
      serviceOf('pnra-true', { type: 'NodePort', selector: { app: 'pnra-true' }, port: 80, targetPort: 80, spec: { publishNotReadyAddresses: true } }),
      serviceOf('pnra-false', { type: 'NodePort', selector: { app: 'pnra-false' }, port: 80, targetPort: 80 }),
    );
    const frontends = async (name: string) => {
      const s = await service(kl, name);
      const np = s.spec.ports![0]!.nodePort!;
      return [`${s.spec.clusterIP}:80`, `${n0().ip}:${np}`, `${n1().ip}:${np}`];
    };
    for (const name of ['pnra-true', 'pnra-false']) {
      await waitServing(kl, { selector: `app=${name}`, count: 1, port: 80 });
      await waitSlices(kl, name, (e) => e.length === 1 && e[0]!.ready && e[0]!.serving);
      for (const f of await frontends(name)) assert.equal(await firstAnswer(`http://${f}/hostname`), name, `${f} before deletion`);
    }
    kl.k(['delete', 'pod', 'pnra-true', 'pnra-false', '--wait=false']);
    await waitSlices(kl, 'pnra-true', (e) => e.length === 1 && e[0]!.terminating && !e[0]!.serving && e[0]!.ready);
    await waitSlices(kl, 'pnra-false', (e) => e.length === 1 && e[0]!.terminating && !e[0]!.serving && !e[0]!.ready);

    for (const f of await frontends('pnra-true')) {
      assert.deepEqual(distinct(await curlMany(`http://${f}/hostname`, 3)), ['pnra-true'], `${f} while terminating`);
    }
    for (const f of await frontends('pnra-false')) {
      const r = await until(`${f} refuses`, async () => {
        const x = await curl(`http://${f}/hostname`);
        return x.code === CURL_REFUSED ? x : undefined;
      });
      assert.equal(r.body, '');
    }
    assert.ok((await kl.client.pods('default').get('pnra-false')).metadata.deletionTimestamp, 'the backend still exists, terminating');
  });

  describe('ClientIP session affinity', () => {
    let ip: string;
    let nodePort: number;
    let pods: string[];
    before(async () => {
      apply(kl, helloDeployment('aff', 3), serviceOf('aff', { type: 'NodePort', selector: { app: 'aff' }, port: 80, targetPort: 8080, spec: { sessionAffinity: 'ClientIP' } }));
      pods = namesOf(await waitServing(kl, { selector: 'app=aff', count: 3, port: 8080 }));
      await waitSlices(kl, 'aff', (e) => e.filter((x) => x.ready).length === 3);
      const s = await service(kl, 'aff');
      ip = s.spec.clusterIP!;
      nodePort = s.spec.ports![0]!.nodePort!;
      await firstAnswer(`http://${ip}/`);
    });

    it('(24) sends 15 consecutive requests of one client to one pod of three, from a pod and from the host', async () => {
      await waitReady(kl, 'c0');
      const fromPod = wgetFromPod(kl, 'c0', `http://${ip}/`, 15);
      assert.equal(fromPod.length, 15);
      assert.equal(distinct(fromPod).length, 1, `pod c0 got ${distinct(fromPod).join(', ')}`);
      assert.ok(pods.includes(fromPod[0]!));
      const host = await curlMany(`http://${ip}/`, 15, { source: n0().client(10) });
      assert.equal(distinct(host).length, 1, `host client got ${distinct(host).join(', ')}`);
    });

    /** Switches affinity off (spread resumes) and on again (15 identical in a row), for one frontend. */
    async function switchAffinity(url: string, source: string): Promise<void> {
      assert.equal(distinct(await curlMany(url, 15, { source })).length, 1, 'sticky before the switch');
      kl.k(['patch', 'svc', 'aff', '-p', '{"spec":{"sessionAffinity":"None"}}']);
      const spread = await until('the last 15 answers are not all the same', async () => distinct(await curlMany(url, 15, { source })).length > 1, { timeoutMs: 10_000 });
      assert.ok(spread);
      kl.k(['patch', 'svc', 'aff', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}']);
      await until('15 identical answers in a row', async () => distinct(await curlMany(url, 15, { source })).length === 1, { timeoutMs: 10_000 });
      assert.equal(distinct(await curlMany(url, 15, { source })).length, 1, 'still sticky');
    }

    it('(26) switches session affinity of the ClusterIP off and on', async () => {
      await switchAffinity(`http://${ip}/`, n0().client(11));
    });

    it('(27) does 24 and 26 on every node address of the NodePort', async () => {
      for (const [i, node] of nodes.entries()) {
        const url = `http://${node.ip}:${nodePort}/`;
        const sticky = await curlMany(url, 15, { source: n1().client(12 + i) });
        assert.equal(distinct(sticky).length, 1, `${url}: ${distinct(sticky).join(', ')}`);
        await switchAffinity(url, n1().client(14 + i));
      }
    });

    it('(25, 27) with timeoutSeconds 5: sticky within the timeout, rebalanced after it, on the ClusterIP and the NodePort', async () => {
      // Its own Service over the same pods, with the 5 s timeout from the start.
      apply(kl, serviceOf('aff5', { type: 'NodePort', selector: { app: 'aff' }, port: 80, targetPort: 8080, spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } } }));
      const s = await service(kl, 'aff5');
      assert.equal(s.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds, 5);
      await firstAnswer(`http://${s.spec.clusterIP}/`);
      // Four clients per frontend, so that "every client landed on its old pod again by chance"
      // (1 in 3 per client) does not hide a missing expiry: 1 in 81 per round, 4 rounds at most.
      const groups = [
        { url: `http://${s.spec.clusterIP}/`, clients: [20, 21, 22, 23].map((k) => n0().client(k)) },
        { url: `http://${n0().ip}:${s.spec.ports![0]!.nodePort}/`, clients: [24, 25, 26, 27].map((k) => n1().client(k)) },
      ];
      const bound = new Map<string, string>();
      await Promise.all(
        groups.flatMap((g) =>
          g.clients.map(async (c) => {
            const answers = await curlMany(g.url, 15, { source: c });
            assert.equal(distinct(answers).length, 1, `${c} → ${g.url}: ${distinct(answers).join(', ')}`);
            bound.set(c, answers[0]!);
          }),
        ),
      );
      await sleep(2500);
      await Promise.all(
        groups.flatMap((g) => g.clients.map(async (c) => assert.equal((await curlMany(g.url, 1, { source: c }))[0], bound.get(c), `${c} within the timeout`))),
      );
      const moved = new Set<string>();
      for (let round = 0; round < 4 && moved.size < groups.length; round++) {
        await sleep(5600);
        await Promise.all(
          groups.flatMap((g) =>
            g.clients.map(async (c) => {
              const a = (await curlMany(g.url, 1, { source: c }))[0]!;
              if (a !== bound.get(c)) moved.add(g.url);
              bound.set(c, a);
            }),
          ),
        );
      }
      assert.deepEqual([...moved].sort(), groups.map((g) => g.url).sort(), 'some client of each frontend was rebalanced after the timeout');
    });
  });

  it('(28, 29) never serves a Service labelled service-proxy-name or headless, and toggling the label turns another off and on', async () => {
    apply(kl, helloDeployment('labelled', 1));
    await waitServing(kl, { selector: 'app=labelled', count: 1, port: 8080 });
    for (const [i, [key, value]] of [['service.kubernetes.io/service-proxy-name', 'foo-bar'], ['service.kubernetes.io/headless', '']].entries()) {
      apply(
        kl,
        serviceOf(`off${i}`, { selector: { app: 'labelled' }, port: 80, targetPort: 8080, labels: { [key!]: value! } }),
        serviceOf(`tog${i}`, { selector: { app: 'labelled' }, port: 80, targetPort: 8080 }),
      );
      const off = (await service(kl, `off${i}`)).spec.clusterIP!;
      const tog = (await service(kl, `tog${i}`)).spec.clusterIP!;
      await waitSlices(kl, `off${i}`, (e) => e.length === 1 && e[0]!.ready);
      await firstAnswer(`http://${tog}/`);
      for (let k = 0; k < 3; k++) assert.equal((await curl(`http://${off}/`)).code, CURL_REFUSED, `${key} labelled Service answered`);
      kl.k(['label', 'svc', `tog${i}`, `${key}=${value}`]);
      await until(`tog${i} off`, async () => (await curl(`http://${tog}/`)).code === CURL_REFUSED);
      kl.k(['label', 'svc', `tog${i}`, `${key}-`]);
      assert.match(await firstAnswer(`http://${tog}/`, { timeoutMs: 5000 }), /^labelled-/);
    }
  });

  it('(30) refuses connections to a Service without endpoints at once: agnhost connect reports REFUSED', async () => {
    kl.k(['create', 'service', 'clusterip', 'nobody', '--tcp=80:80']);
    await waitEndpoints(kl, 'nobody', []);
    const ip = (await service(kl, 'nobody')).spec.clusterIP!;
    const host = await curl(`http://${ip}/`);
    assert.equal(host.code, CURL_REFUSED, host.stderr);
    assert.ok(host.ms < 800, `refused after ${host.ms} ms`);
    const connect = agnhostPod('connect', { labels: { app: 'connect' }, args: ['connect', '--timeout=3s', 'nobody:80'] });
    apply(kl, { ...connect, spec: { ...connect.spec, restartPolicy: 'Never' } });
    const done = await until('agnhost connect finished', async () => {
      const p = await kl.client.pods('default').get('connect');
      return p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded' ? p : undefined;
    });
    assert.equal(done.status?.phase, 'Failed');
    assert.equal(done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 1);
    assert.equal(kl.k(['logs', 'connect']).trim(), 'REFUSED');
    await waitReady(kl, 'c0');
    const started = Date.now();
    const fromPod = shIn(kl, 'c0', 'wget -O- -q http://nobody/');
    assert.notEqual(fromPod.code, 0);
    assert.match(fromPod.stderr, /Connection refused/);
    assert.ok(Date.now() - started < 2000, `wget from a pod was refused after ${Date.now() - started} ms`);
  });

  it('(32) internalTrafficPolicy Local: a client on the backend node reaches it, a client on the other node times out', async () => {
    apply(
      kl,
      agnhostPod('itl', { labels: { app: 'itl' }, args: ['netexec', '--http-port=8080', '--udp-port=-1'], port: 8080, node: 'node0', graceSeconds: 1 }),
      serviceOf('itl', { selector: { app: 'itl' }, port: 80, targetPort: 8080, spec: { internalTrafficPolicy: 'Local' } }),
    );
    await waitServing(kl, { selector: 'app=itl', count: 1, port: 8080 });
    await waitSlices(kl, 'itl', (e) => e.length === 1 && e[0]!.ready);
    const url = `http://${(await service(kl, 'itl')).spec.clusterIP}/hostname`;
    assert.equal(await firstAnswer(url, { source: n0().client(30) }), 'itl');
    await waitReady(kl, 'c0');
    await waitReady(kl, 'c1');
    const near = shIn(kl, 'c0', `curl -sS -m 2 --interface "$POD_IP" ${url}`);
    assert.equal(near.stdout, 'itl', near.stderr);
    const far = await Promise.all([30, 31, 32, 33, 34].map((k) => curl(url, { source: n1().client(k), maxTimeS: 1 })));
    assert.deepEqual(far.map((r) => r.code), [CURL_TIMEOUT, CURL_TIMEOUT, CURL_TIMEOUT, CURL_TIMEOUT, CURL_TIMEOUT]);
    const farPod = shIn(kl, 'c1', `curl -sS -m 1 --interface "$POD_IP" ${url}`);
    assert.equal(farPod.code, CURL_TIMEOUT, farPod.stderr);
  });

  it('(34, 35, 36) falls back to the only backend while it terminates: Cluster policies from both nodes, Local policies only where they allow', async () => {
    apply(
      kl,
      agnhostPod('fallback', { labels: { app: 'fallback' }, args: ['netexec', '--http-port=8080', '--udp-port=-1', '--delay-shutdown=30'], port: 8080, node: 'node0', graceSeconds: 30 }),
      serviceOf('fb-cluster', { type: 'NodePort', selector: { app: 'fallback' }, port: 80, targetPort: 8080 }),
      serviceOf('fb-local', { type: 'NodePort', selector: { app: 'fallback' }, port: 80, targetPort: 8080, spec: { internalTrafficPolicy: 'Local', externalTrafficPolicy: 'Local' } }),
    );
    await waitServing(kl, { selector: 'app=fallback', count: 1, port: 8080 });
    const c = await service(kl, 'fb-cluster');
    const l = await service(kl, 'fb-local');
    const cnp = c.spec.ports![0]!.nodePort!;
    const lnp = l.spec.ports![0]!.nodePort!;
    await firstAnswer(`http://${c.spec.clusterIP}/hostname`);
    kl.k(['delete', 'pod', 'fallback', '--wait=false']);
    for (const s of ['fb-cluster', 'fb-local']) await waitSlices(kl, s, (e) => e.length === 1 && e[0]!.terminating && e[0]!.serving && !e[0]!.ready);

    const client0 = n0().client(40);
    const client1 = n1().client(40);
    const reach = async (addr: string, source: string) => {
      const r = await curl(`http://${addr}/hostname`, { source, maxTimeS: 1 });
      return r.code === 0 ? r.body : `curl ${r.code}`;
    };
    const got = {
      '34 clusterIP from node0': await reach(`${c.spec.clusterIP}:80`, client0),
      '34 clusterIP from node1': await reach(`${c.spec.clusterIP}:80`, client1),
      '35 local clusterIP from node0': await reach(`${l.spec.clusterIP}:80`, client0),
      '35 local clusterIP from node1': await reach(`${l.spec.clusterIP}:80`, client1),
      '36 cluster node0:nodePort from node0': await reach(`${n0().ip}:${cnp}`, client0),
      '36 cluster node0:nodePort from node1': await reach(`${n0().ip}:${cnp}`, client1),
      '36 cluster node1:nodePort from node0': await reach(`${n1().ip}:${cnp}`, client0),
      '36 local node1:nodePort from node0': await reach(`${n1().ip}:${lnp}`, client0),
      '36 local node0:nodePort from node0': await reach(`${n0().ip}:${lnp}`, client0),
      '36 local node0:nodePort from node1': await reach(`${n0().ip}:${lnp}`, client1),
    };
    assert.deepEqual(got, {
      '34 clusterIP from node0': 'fallback',
      '34 clusterIP from node1': 'fallback',
      '35 local clusterIP from node0': 'fallback',
      '35 local clusterIP from node1': `curl ${CURL_TIMEOUT}`,
      '36 cluster node0:nodePort from node0': 'fallback',
      '36 cluster node0:nodePort from node1': 'fallback',
      '36 cluster node1:nodePort from node0': 'fallback',
      '36 local node1:nodePort from node0': `curl ${CURL_TIMEOUT}`,
      '36 local node0:nodePort from node0': 'fallback',
      '36 local node0:nodePort from node1': 'fallback',
    });
    assert.ok((await kl.client.pods('default').get('fallback')).metadata.deletionTimestamp, 'the backend is still terminating');
  });

  it('[seed] spreads 30 requests over the 3 http-go pods from the host and a busybox pod; after kubectl edit sets ClientIP one client sticks to one pod; an empty selector refuses at once', async () => {
    kl.k(['create', 'deployment', 'http-go', '--image=gasbugs/http-go', '--replicas=3']);
    kl.k(['expose', 'deployment', 'http-go', '--port=80', '--target-port=8080', '--name=http-go-svc']);
    const pods = namesOf(await waitServing(kl, { selector: 'app=http-go', count: 3, port: 8080 }));
    await waitSlices(kl, 'http-go-svc', (e) => e.filter((x) => x.ready).length === 3);
    const url = `http://${(await service(kl, 'http-go-svc')).spec.clusterIP}/`;
    await firstAnswer(url);
    const fromHost = distinct(await curlMany(url, 30));
    assert.ok(fromHost.length >= 2 && fromHost.every((h) => pods.includes(h)), `host reached ${fromHost.join(', ')}`);
    await waitReady(kl, 'c0');
    const fromPod = distinct(wgetFromPod(kl, 'c0', url, 30));
    assert.ok(fromPod.length >= 2 && fromPod.every((h) => pods.includes(h)), `pod reached ${fromPod.join(', ')}`);

    const editor = join(scratch, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/sessionAffinity: None/sessionAffinity: ClientIP/" "$1"\n');
    chmodSync(editor, 0o755);
    const edit = kl.kubectl(['edit', 'svc', 'http-go-svc'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.equal(edit.code, 0, edit.stderr);
    assert.match(edit.stdout, /service\/http-go-svc edited/);
    const one = n0().client(50);
    await until('one client sticks', async () => distinct(await curlMany(url, 10, { source: one })).length === 1, { timeoutMs: 5000 });
    const sticky = await curlMany(url, 30, { source: one });
    assert.equal(distinct(sticky).length, 1, `one client reached ${distinct(sticky).join(', ')}`);
    assert.equal(distinct(wgetFromPod(kl, 'c0', url, 30)).length, 1, 'the busybox pod sticks too');
    // Other client addresses are balanced independently: ten of them do not all land on one pod.
    const others = await Promise.all([51, 52, 53, 54, 55, 56, 57, 58, 59, 60].map(async (k) => distinct(await curlMany(url, 3, { source: n1().client(k) }))));
    assert.ok(others.every((o) => o.length === 1), 'every other client is sticky too');
    assert.ok(distinct(others.flat()).length >= 2, 'ten other clients all landed on one pod');

    kl.k(['create', 'service', 'clusterip', 'nomatch', '--tcp=80:8080']);
    await until('placeholder slice', async () => (await kl.client.endpointSlices('default').list({ labelSelector: 'kubernetes.io/service-name=nomatch' })).items.length === 1);
    const nm = await curl(`http://${(await service(kl, 'nomatch')).spec.clusterIP}/`);
    assert.equal(nm.code, CURL_REFUSED, nm.stderr);
    assert.ok(nm.ms < 800, `refused after ${nm.ms} ms`);
    const described = kl.k(['describe', 'svc', 'nomatch']);
    assert.match(described, /^Endpoints: *$/m);
  });

  it('[LoadBalancer] kubectl create service loadbalancer gets an EXTERNAL-IP in kubectl get svc and answers on it', async () => {
    kl.k(['create', 'deployment', 'lb', '--image=gasbugs/http-go']);
    kl.k(['create', 'service', 'loadbalancer', 'lb', '--tcp=80:8080']);
    const [pod] = await waitServing(kl, { selector: 'app=lb', count: 1, port: 8080 });
    const row = await until('an EXTERNAL-IP', () => {
      const rows = tableRows(kl.k(['get', 'svc', 'lb']));
      return rows[1]![3] !== '<pending>' ? rows : undefined;
    });
    assert.deepEqual(row[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const [name, type, , external, ports] = row[1]!;
    assert.deepEqual([name, type], ['lb', 'LoadBalancer']);
    const lbNet = kl.ranges.lbCIDR.replace(/\.0\/24$/, '.');
    assert.ok(external!.startsWith(lbNet), `EXTERNAL-IP ${external} is outside ${kl.ranges.lbCIDR}`);
    assert.match(ports!, /^80:3\d{4}\/TCP$/);
    assert.equal(await firstAnswer(`http://${external}/`), pod!.metadata.name);
    const nodePort = ports!.split(':')[1]!.split('/')[0];
    for (const addr of ['127.0.0.1', n0().ip, n1().ip]) assert.equal(await firstAnswer(`http://${addr}:${nodePort}/`), pod!.metadata.name, `${addr}:${nodePort}`);
  });

  it('[metrics] GET /metrics shows per-endpoint connection counters that moved with the traffic', async () => {
    apply(kl, helloDeployment('counted', 2), serviceOf('counted', { selector: { app: 'counted' }, port: 80, targetPort: 8080 }));
    const pods = await waitServing(kl, { selector: 'app=counted', count: 2, port: 8080 });
    await waitSlices(kl, 'counted', (e) => e.filter((x) => x.ready).length === 2);
    const url = `http://${(await service(kl, 'counted')).spec.clusterIP}/`;
    await firstAnswer(url);
    const counters = async () => {
      const r = await kl.raw('GET', '/metrics');
      assert.equal(r.code, 200);
      const m = new Map<string, number>();
      for (const line of r.body.split('\n')) {
        const x = /^kubeloop_proxy_endpoint_connections_total\{namespace="default",service="counted",port="",protocol="TCP",endpoint="([^"]+)"\} (\d+)$/.exec(line);
        if (x) m.set(x[1]!, Number(x[2]));
      }
      return m;
    };
    const before = await counters();
    assert.deepEqual([...before.keys()].sort(), pods.map((p) => `${p.status!.podIP}:8080`).sort());
    const answers = await curlMany(url, 20);
    const after = await counters();
    const delta = (ep: string) => (after.get(ep) ?? 0) - (before.get(ep) ?? 0);
    for (const p of pods) {
      const ep = `${p.status!.podIP}:8080`;
      assert.equal(delta(ep), answers.filter((a) => a === p.metadata.name).length, `connections to ${ep}`);
    }
    assert.equal([...after.keys()].reduce((n, ep) => n + delta(ep), 0), 20);
    const endpoints = await sliceEndpoints(kl, 'counted');
    assert.equal(endpoints.length, 2);
  });
});
