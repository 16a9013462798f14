// The naive Node.js pipe proxy of shared/reference/dataplane.md §4 ("node-1"), as a same-run
// baseline: net.createServer + net.connect + a.pipe(b); b.pipe(a). With a fifth argument N > 1 it
// runs N cluster workers accepting on one shared socket (SCHED_NONE), to measure what worker
// processes would buy. argv: listenIP port upIP upPort [workers].
import cluster from 'node:cluster';
import net from 'node:net';

const [ip = '', port = '0', upIP = '', upPort = '0', workersArg = '1'] = process.argv.slice(2);
const workers = Number(workersArg);

if (workers > 1 && cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  net
    .createServer({ noDelay: true }, (c) => {
      const u = net.connect({ host: upIP, port: Number(upPort), noDelay: true });
      c.pipe(u);
      u.pipe(c);
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
      c.on('close', () => u.destroy());
      u.on('close', () => c.destroy());
    })
    .listen({ host: ip, port: Number(port), backlog: 4096 });
}
