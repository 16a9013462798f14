// Child process of bench/dataplane/run.ts: an in-memory API and a kubeloop proxy serving one
// Service (ClusterIP → the benchmark backend), plus the endpoint-change latency probe.
// argv: clusterIP port backendIP backendPort setupJSON probe:<n>|no-probe, where setupJSON is
// {userspace: UserspaceOptions, affinitySeconds?: number} (ClientIP affinity on the Service), and
// probe <n> (1..99) picks the probe's own addresses: VIP 127.96.252.<n>, backends 127.244.252.<2n, 2n+1>.
// Talks to the parent over IPC: {cmd:'latency', n} → {latency: number[]}; {cmd:'stop'}.
import net from 'node:net';
import type { EndpointSlice, Service } from '../../src/api/index.js';
import { startProxy, userspaceDataPlane, type UserspaceOptions } from '../../src/proxy/index.js';
import { memoryApi } from '../../src/testing/index.js';

const [clusterIP = '', port = '0', backendIP = '', backendPort = '0', setupJSON = '{}', probe = 'no-probe'] = process.argv.slice(2);
const setup = JSON.parse(setupJSON) as { userspace?: UserspaceOptions; affinitySeconds?: number };
const options = setup.userspace ?? {};
const send = (m: unknown) => process.send?.(m);

const svc = (name: string, ip: string, p: number, target: number, affinitySeconds = 0): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'ClusterIP',
    clusterIP: ip,
    clusterIPs: [ip],
    ports: [{ port: p, targetPort: target }],
    ...(affinitySeconds > 0 ? { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: affinitySeconds } } } : {}),
  },
});
const slice = (svcName: string, ips: string[], p: number): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${svcName}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': svcName } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip], nodeName: 'node0', conditions: { ready: true } })),
  ports: [{ name: '', port: p, protocol: 'TCP' }],
});

async function main(): Promise<void> {
  const api = await memoryApi();
  const proxy = await startProxy({
    client: api.client,
    nodes: [{ name: 'node0', ips: ['127.245.250.1'], podCIDR: '127.244.250.0/24' }],
    dataPlane: userspaceDataPlane(options),
  });
  await api.client.services('default').create(svc('bench', clusterIP, Number(port), Number(backendPort), setup.affinitySeconds));
  await api.client.endpointSlices('default').create(slice('bench', [backendIP], Number(backendPort)));
  await proxy.flush();

  const probeId = /^probe:(\d+)$/.exec(probe)?.[1];
  if (probeId === undefined) {
    process.on('message', async () => {
      await proxy.stop();
      await api.close();
      process.exit(0);
    });
    send({ ready: true });
    return;
  }
  // Latency probe: two tiny backends; the slice flips between them; we time from the API write
  // to the first new connection answered by the new one.
  const flipIP = `127.96.252.${probeId}`;
  const names = [`127.244.252.${2 * Number(probeId)}`, `127.244.252.${2 * Number(probeId) + 1}`];
  const servers = await Promise.all(
    names.map(
      (ip) =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer((c) => c.end(ip)).once('error', reject);
          s.listen(9000, ip, () => resolve(s));
        }),
    ),
  );
  await api.client.services('default').create(svc('flip', flipIP, 9000, 9000));
  await api.client.endpointSlices('default').create(slice('flip', [names[0]!], 9000));
  await proxy.flush();

  const ask = () =>
    new Promise<string>((resolve) => {
      const c = net.connect({ host: flipIP, port: 9000 });
      let d = '';
      c.on('data', (x) => (d += x.toString()));
      c.on('end', () => resolve(d));
      c.on('error', () => resolve(''));
      c.setTimeout(1000, () => c.destroy());
    });

  process.on('message', async (m: { cmd: string; n?: number }) => {
    if (m.cmd === 'latency') {
      const out: number[] = [];
      const slices = api.client.endpointSlices('default');
      for (let i = 0; i < (m.n ?? 50); i++) {
        const want = names[(i + 1) % 2]!;
        const cur = await slices.get('flip-x');
        const t0 = performance.now();
        await slices.update({ ...slice('flip', [want], 9000), metadata: cur.metadata });
        let got = '';
        for (let j = 0; j < 2000 && got !== want && performance.now() - t0 < 2000; j++) got = await ask();
        out.push(got === want ? performance.now() - t0 : Number.POSITIVE_INFINITY);
      }
      send({ latency: out, metrics: await proxy.metricsText() });
    } else if (m.cmd === 'stop') {
      await proxy.stop();
      for (const s of servers) s.close();
      await api.close();
      process.exit(0);
    }
  });
  send({ ready: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
