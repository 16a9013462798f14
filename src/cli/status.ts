// `kubeloop status`: is a cluster running on the data dir, and where.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ParsedArgs } from './args.js';
import { dataDirOf, runningPid } from './up.js';

export async function status(p: ParsedArgs): Promise<number> {
  const { dir } = dataDirOf(p);
  const pid = runningPid(dir);
  if (pid === undefined) {
    process.stdout.write(`kubeloop: not running (data dir ${dir})\n`);
    return 3;
  }
  const kc = join(dir, 'kubeconfig');
  let server = '?';
  if (existsSync(kc)) {
    const doc = parse(readFileSync(kc, 'utf8')) as { clusters?: { cluster?: { server?: string } }[] };
    server = doc.clusters?.[0]?.cluster?.server ?? '?';
  }
  process.stdout.write(`kubeloop: running (pid ${pid})\n  API server: ${server}\n  kubeconfig: ${kc}\n  data dir:   ${dir}\n`);
  return 0;
}
