// The node agent with real processes on an in-memory API: registration, the seed scenario's pods,
// a busybox client pod, init containers, pod DNS files, and the Service env conformance case.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { podRow, type Lease, type Node } from '../../api/index.js';
import { eventually } from '../../testing/index.js';
import { KUBELET_VERSION, NODE_LEASE_NAMESPACE } from './node.js';
import { containerState, httpGet, isRoot, phase, ready, running, startHarness, type Harness } from './_testing.js';

let h: Harness;
before(async () => {
  h = await startHarness(201);
});
after(async () => {
  await h?.close();
});

describe('node registration', () => {
  test('registers a Ready Node with its addresses, pod CIDR, capacity of 110 pods and kubelet version', async () => {
    const node: Node = await h.client.nodes().get(h.nodeName);
    assert.deepEqual(node.status?.addresses, [
      { type: 'InternalIP', address: '127.244.201.1' },
      { type: 'Hostname', address: h.nodeName },
    ]);
    assert.equal(node.spec?.podCIDR, '127.244.201.0/24');
    assert.deepEqual(node.spec?.podCIDRs, ['127.244.201.0/24']);
    assert.equal(node.status?.capacity?.['pods'], '110');
    assert.equal(node.status?.allocatable?.['pods'], '110');
    assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'KubeletReady');
    assert.match(node.status?.nodeInfo?.kubeletVersion ?? '', /^v1\.32\./);
    assert.equal(node.status?.nodeInfo?.kubeletVersion, KUBELET_VERSION);
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], h.nodeName);
  });

  test('holds a Lease named after the node in kube-node-lease, owned by the Node', async () => {
    const lease: Lease = await h.client.leases(NODE_LEASE_NAMESPACE).get(h.nodeName);
    assert.equal(lease.spec.holderIdentity, h.nodeName);
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.ok(lease.spec.renewTime);
    assert.equal(lease.metadata.ownerReferences?.[0]?.kind, 'Node');
  });
});

describe('the seed scenario on one node', () => {
  const names = ['http-go-a', 'http-go-b', 'http-go-c'];

  test('three http-go pods run with distinct IPs from the node\'s range, each answering its name on POD_IP:8080', async () => {
    for (const n of names) await h.create(n, { containers: [{ name: 'app', image: 'gasbugs/http-go' }] }, { labels: { app: 'http-go' } });
    const pods = await Promise.all(names.map((n) => h.waitFor(n, 'Running and Ready', (p) => running(p) && ready(p))));
    const ips = pods.map((p) => p.status?.podIP ?? '');
    assert.equal(new Set(ips).size, 3, `distinct IPs: ${ips.join(' ')}`);
    for (const ip of ips) assert.match(ip, /^127\.244\.201\.([2-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-4])$/);
    for (const p of pods) {
      assert.equal(p.status?.hostIP, '127.244.201.1');
      assert.deepEqual(p.status?.podIPs, [{ ip: p.status?.podIP }]);
      assert.deepEqual(podRow(p, new Date()), { ready: '1/1', status: 'Running', restarts: '0' });
      const cs = containerState(p);
      assert.equal(cs?.image, 'docker.io/gasbugs/http-go:latest');
      assert.match(cs?.imageID ?? '', /^docker\.io\/gasbugs\/http-go@sha256:[0-9a-f]{64}$/);
      assert.match(cs?.containerID ?? '', /^kubeloop:\/\/[0-9a-f]{64}$/);
      assert.equal(cs?.started, true);
      assert.ok(cs?.state?.running?.startedAt);
      assert.ok(p.status?.startTime);
      assert.deepEqual(
        p.status?.conditions?.map((c) => `${c.type}=${c.status}`),
        ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
      );
      // Without a readiness probe a pod is Ready once its process runs; the server binds soon after.
      const answer = await eventually(() => httpGet(`http://${p.status?.podIP}:8080/`), { timeoutMs: 5000, intervalMs: 50 });
      assert.equal(answer.body, `${p.metadata.name}\n`);
    }
  });

  test('records Pulled, Created and Started events as the kubelet words them', async () => {
    const events = await h.events('http-go-a');
    const seen = events.map((e) => `${e.type} ${e.reason} ${e.message}`);
    for (const want of ['Normal Pulled Container image "gasbugs/http-go" already present on machine', 'Normal Created Created container app', 'Normal Started Started container app']) {
      assert.ok(seen.includes(want), `missing "${want}" in ${JSON.stringify(seen)}`);
    }
    assert.equal(events[0]?.source?.component, 'kubelet');
    assert.equal(events[0]?.source?.host, h.nodeName);
  });

  test('a busybox pod fetches another pod\'s answer with wget, ends Completed, and its logs show the answer', async () => {
    const target = await h.get('http-go-b');
    const ip = target.status?.podIP ?? '';
    await h.create('bb', { restartPolicy: 'Never', containers: [{ name: 'bb', image: 'busybox', args: ['wget', '-O-', '-q', `${ip}:8080`] }] });
    const bb = await h.waitFor('bb', 'Succeeded', phase('Succeeded'));
    assert.equal(podRow(bb, new Date()).status, 'Completed');
    assert.equal(containerState(bb, 'bb')?.state?.terminated?.exitCode, 0);
    assert.equal(containerState(bb, 'bb')?.state?.terminated?.reason, 'Completed');
    const logs = await h.logs('bb', { container: 'bb' });
    assert.equal(logs.status, 200);
    assert.equal(logs.body, 'http-go-b\n');
  });
});

describe('containers', () => {
  test('init containers run first, one at a time, and the pod shows Init:0/1 meanwhile', async () => {
    await h.create('with-init', {
      initContainers: [{ name: 'setup', image: 'busybox', command: ['sh', '-c', 'sleep 1; echo set up'] }],
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo main; sleep 600'] }],
      terminationGracePeriodSeconds: 0,
    });
    const initializing = await h.waitFor('with-init', 'Init:0/1', (p) => podRow(p, new Date()).status === 'Init:0/1');
    assert.equal(initializing.status?.phase, 'Pending');
    assert.equal(containerState(initializing)?.state?.waiting?.reason, 'PodInitializing');
    const p = await h.waitFor('with-init', 'Running', running);
    const init = p.status?.initContainerStatuses?.[0];
    assert.equal(init?.state?.terminated?.reason, 'Completed');
    assert.equal(init?.ready, true);
    const initEnd = Date.parse(init?.state?.terminated?.finishedAt ?? '');
    const mainStart = Date.parse(containerState(p)?.state?.running?.startedAt ?? '');
    assert.ok(initEnd <= mainStart, `init finished ${init?.state?.terminated?.finishedAt}, main started ${containerState(p)?.state?.running?.startedAt}`);
    assert.equal((await h.logs('with-init', { container: 'setup' })).body, 'set up\n');
  });

  test('the pod gets its own resolv.conf and hosts file, and its name as hostname', { skip: !isRoot && 'needs root (namespaces)' }, async () => {
    await h.create('dns-files', {
      restartPolicy: 'Never',
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'cat /etc/resolv.conf; echo ---; cat /etc/hosts; echo ---; hostname'] }],
    });
    const p = await h.waitFor('dns-files', 'Succeeded', phase('Succeeded'));
    const [resolv, hosts, hostname] = (await h.logs('dns-files')).body.split('---\n');
    assert.equal(resolv, 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 127.96.0.10\noptions ndots:5\n');
    assert.match(hosts ?? '', /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    assert.ok(hosts?.includes(`${p.status?.podIP}\tdns-files\n`), hosts);
    assert.equal(hostname, 'dns-files\n');
  });

  test('[sig-node] Pods should contain environment variables for services', async () => {
    await h.client.services('default').create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'fooservice', namespace: 'default' },
      spec: { clusterIP: '127.96.7.7', selector: { name: 'server-envvars' }, ports: [{ port: 8765, protocol: 'TCP', targetPort: 8080 }] },
    });
    await h.create('server-envvars', { containers: [{ name: 'srv', image: 'gasbugs/http-go' }] }, { labels: { name: 'server-envvars' } });
    await h.waitFor('server-envvars', 'Running', running);
    await h.create('client-envvars', {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'env3cont',
          image: 'busybox',
          command: ['sh', '-c', 'env'],
          env: [
            { name: 'MY_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'MY_NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'FOO_URL', value: 'http://$(FOOSERVICE_SERVICE_HOST):$(FOOSERVICE_SERVICE_PORT)' },
          ],
        },
      ],
    });
    await h.waitFor('client-envvars', 'Succeeded', phase('Succeeded'));
    const env = (await h.logs('client-envvars')).body.split('\n');
    for (const want of [
      'FOOSERVICE_SERVICE_HOST=127.96.7.7',
      'FOOSERVICE_SERVICE_PORT=8765',
      'FOOSERVICE_PORT=tcp://127.96.7.7:8765',
      'FOOSERVICE_PORT_8765_TCP_PORT=8765',
      'FOOSERVICE_PORT_8765_TCP_PROTO=tcp',
      'FOOSERVICE_PORT_8765_TCP=tcp://127.96.7.7:8765',
      'FOOSERVICE_PORT_8765_TCP_ADDR=127.96.7.7',
      'MY_NAME=client-envvars',
      `MY_NODE=${h.nodeName}`,
      'FOO_URL=http://127.96.7.7:8765',
      'HOSTNAME=client-envvars',
    ]) {
      assert.ok(env.includes(want), `missing ${want}`);
    }
    const p = await h.get('client-envvars');
    assert.ok(env.includes(`POD_IP=${p.status?.podIP}`));
  });

  test('a redis pod serves on its POD_IP:6379', { skip: !existsSync('/usr/bin/redis-server') && 'redis-server is not installed' }, async () => {
    await h.create('redis', { containers: [{ name: 'redis', image: 'redis' }] });
    const p = await h.waitFor('redis', 'Running', running);
    const reply = await eventually(
      () =>
        new Promise<string>((resolve, reject) => {
          const sock = connect({ host: p.status?.podIP ?? '', port: 6379 });
          let got = '';
          sock.setTimeout(2000, () => sock.destroy(new Error('timeout')));
          sock.on('data', (d) => {
            got += d.toString();
            if (got.includes('\r\n')) sock.end();
          });
          sock.on('end', () => resolve(got));
          sock.on('error', reject);
          sock.write('PING\r\n');
        }),
      { timeoutMs: 5000, intervalMs: 100 },
    );
    assert.equal(reply, '+PONG\r\n');
    await h.client.pods('default').delete('redis');
    await h.waitGone('redis');
  });

  test('an unknown image waits in ErrImagePull, then ImagePullBackOff, with the catalog\'s message and events', async () => {
    await h.create('no-image', { containers: [{ name: 'app', image: 'example.com/team/unknown:1.0' }] });
    const p = await h.waitFor('no-image', 'ImagePullBackOff', (x) => containerState(x)?.state?.waiting?.reason === 'ImagePullBackOff', 5000);
    assert.equal(p.status?.phase, 'Pending');
    assert.match(containerState(p)?.state?.waiting?.message ?? '', /^Back-off pulling image "example\.com\/team\/unknown:1\.0": ErrImagePull: Failed to pull image "example\.com\/team\/unknown:1\.0": kubeloop has no local program for this image; add an entry to .*images\.yaml/);
    const reasons = (await h.events('no-image')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(reasons.some((r) => r.startsWith('Failed: Failed to pull image "example.com/team/unknown:1.0"')), JSON.stringify(reasons));
    assert.ok(reasons.includes('Failed: Error: ErrImagePull'));
    assert.ok(reasons.includes('BackOff: Back-off pulling image "example.com/team/unknown:1.0"'));
    const logs = await h.logs('no-image');
    assert.equal(logs.status, 400);
    assert.equal(logs.body, 'container "app" in pod "no-image" is waiting to start: trying and failing to pull image');
  });

});
