// cli/: the `kubeloop` command (up, down, status, kubectl passthrough).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from './args.js';
import { down } from './down.js';
import { status } from './status.js';
import { dataDirOf, up } from './up.js';

const USAGE = `Usage: kubeloop <command> [flags]

Commands:
  up       Start a cluster in the foreground (Ctrl-C stops it)
  down     Stop the cluster running on the data dir
  status   Show whether a cluster is running on the data dir
  kubectl  Run kubectl against the cluster (kubeloop kubectl -- get pods)

Flags:
  --data-dir DIR   state, logs and kubeconfig (default ~/.kubeloop; then the "kubeloop" context
                   is also merged into ~/.kube/config)
  --port PORT      API server port on 127.0.0.1 (default 6443; 0 picks a free port)
  --service-cidr CIDR
                   Service ClusterIP range (default 127.96.0.0/12; kubernetes = .1, kube-dns = .10)
  --node-port-range A-B
                   NodePort range (default 30000-32767)
  --nodes N        node agents to run: node0 ... node(N-1) (default 1)
  --pod-cidr CIDR  pod addresses, a /16 (default 127.244.0.0/16; node i gets the i-th /24,
                   and its .1 as the node's address)
  --lb-cidr CIDR   LoadBalancer ingress IPs (default 127.250.0.0/24)
  --cluster-domain DOMAIN
                   DNS zone of the cluster (default cluster.local)
  --dns-upstream ADDR[:PORT][,...]
                   resolvers for names outside the cluster zone (default: /etc/resolv.conf)
  --compact-interval DURATION
                   how often store history is compacted (default 5m); watches from older
                   revisions get 410 Gone and clients relist
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up':
      return up(parseArgs(rest));
    case 'down':
      return down(parseArgs(rest));
    case 'status':
      return status(parseArgs(rest));
    case 'kubectl': {
      const i = rest.indexOf('--');
      const p = parseArgs(i >= 0 ? rest.slice(0, i) : []);
      const args = i >= 0 ? rest.slice(i + 1) : rest;
      const { dir } = dataDirOf(p);
      const r = spawnSync('kubectl', args, { stdio: 'inherit', env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') } });
      return r.status ?? 1;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`kubeloop: unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}
