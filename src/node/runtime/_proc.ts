// Small /proc readers (Linux only).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Direct children of `pid`, from /proc/<pid>/task/<tid>/children. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/)) {
        if (c !== '') out.push(Number(c));
      }
    } catch {
      // The task ended meanwhile.
    }
  }
  return out;
}

/** Whether `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The inode naming a process's namespace of `kind` ("pid", "mnt", "uts"), or undefined. */
export function namespaceOf(pid: number, kind: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return undefined;
  }
}

/** Every live process whose `kind` namespace is `ns`. */
export function processesInNamespace(kind: string, ns: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (namespaceOf(pid, kind) === ns && isAlive(pid)) out.push(pid);
  }
  return out;
}

/** All descendants of `pid` (children first), bounded in depth and count. */
export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  let frontier = [pid];
  for (let depth = 0; depth < 64 && frontier.length > 0 && out.length < 100_000; depth++) {
    const next: number[] = [];
    for (const p of frontier) next.push(...childrenOf(p));
    out.push(...next);
    frontier = next;
  }
  return out;
}

export function signalPid(pid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
