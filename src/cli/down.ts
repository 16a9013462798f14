// `kubeloop down`: stop the cluster running on a data dir (SIGTERM, then wait for it to exit).
import { dataDirOf, isAlive, runningPid } from './up.js';
import type { ParsedArgs } from './args.js';

export async function down(p: ParsedArgs): Promise<number> {
  const { dir } = dataDirOf(p);
  const pid = runningPid(dir);
  if (pid === undefined) {
    process.stdout.write(`kubeloop is not running on ${dir}\n`);
    return 0;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      process.stdout.write(`kubeloop stopped (pid ${pid})\n`);
      return 0;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stderr.write(`kubeloop: Cannot stop pid ${pid}: still running after 30 s; sending SIGKILL\n`);
  process.kill(pid, 'SIGKILL');
  return 1;
}
