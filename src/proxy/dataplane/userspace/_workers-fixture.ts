// Run by workers.test.ts as a child process: a proxy with 2 forwarding workers serving one Service
// (argv: clusterIP port backendIP backendPort), which prints its workers' pids as one JSON line
// on stdout and then serves until it is killed.
import type { EndpointSlice, Service } from '../../../api/index.js';
import { memoryApi } from '../../../testing/index.js';
import { startProxy } from '../../index.js';

const [clusterIP = '', port = '0', backendIP = '', backendPort = '0'] = process.argv.slice(2);
const api = await memoryApi();
const proxy = await startProxy({
  client: api.client,
  nodes: [{ name: 'node0', ips: ['127.245.238.1'], podCIDR: '127.244.238.0/24' }],
  userspace: { workers: 2 },
});
const service: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'orphan', namespace: 'default' },
  spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports: [{ port: Number(port), targetPort: Number(backendPort) }] },
};
const slice: EndpointSlice = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'orphan-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'orphan' } },
  addressType: 'IPv4',
  endpoints: [{ addresses: [backendIP], nodeName: 'node0', conditions: { ready: true } }],
  ports: [{ name: '', port: Number(backendPort), protocol: 'TCP' }],
};
await api.client.services('default').create(service);
await api.client.endpointSlices('default').create(slice);
await proxy.flush();
const { workers = [] } = await proxy.query.snapshot();
process.stdout.write(`${JSON.stringify({ workers: workers.map((w) => w.pid) })}\n`);
