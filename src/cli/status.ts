// `kubeloop status`: is a cluster running on the data dir, where, its nodes, and what it cannot
// serve (with how to fix it). Reads the status file the running cluster keeps up to date.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterStatus } from '../cluster/index.js';
import type { ParsedArgs } from './args.js';
import { dataDirOf, runningPid } from './up.js';

export async function status(p: ParsedArgs): Promise<number> {
  const { dir } = dataDirOf(p);
  const pid = runningPid(dir);
  if (pid === undefined) {
    process.stdout.write(`kubeloop: not running (data dir ${dir})\n`);
    return 3;
  }
  const file = join(dir, 'status.json');
  const kc = join(dir, 'kubeconfig');
  if (!existsSync(file)) {
    process.stdout.write(`kubeloop: starting (pid ${pid})\n  data dir: ${dir}\n`);
    return 0;
  }
  const s = JSON.parse(readFileSync(file, 'utf8')) as ClusterStatus;
  const lines = [
    `kubeloop: running (pid ${pid}, since ${s.startedAt})`,
    `  API server: ${s.url}`,
    `  kubeconfig: ${kc}`,
    `  data dir:   ${dir}`,
    `  nodes:`,
    ...s.nodes.map((n) => `    ${n.name}  ${n.ip}  pods ${n.podCIDR}  isolation: ${n.isolation}`),
  ];
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  if (s.unserved.length) {
    lines.push('  not served:');
    for (const u of s.unserved) lines.push(`    ${u.service} ${u.address}: ${u.reason}`, `      fix: ${u.fix}`);
  } else lines.push('  every Service address is served');
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
