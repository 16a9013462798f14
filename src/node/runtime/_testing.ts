// Helpers for this folder's tests (real processes; every pid started is cleaned up).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendantsOf, isAlive, signalPid } from './_proc.js';
import type { Clock, TimerHandle } from './clock.js';

export const isRoot = process.getuid?.() === 0;

export interface PodDir {
  dir: string;
  hosts: string;
  resolvConf: string;
  remove(): void;
}

export function makePodDir(podName: string): PodDir {
  const dir = mkdtempSync(join(tmpdir(), `kubeloop-rt-${podName}-`));
  const hosts = join(dir, 'hosts');
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(hosts, `127.0.0.1\tlocalhost\n127.244.250.250\t${podName}\n`);
  writeFileSync(resolvConf, 'nameserver 127.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n');
  return { dir, hosts, resolvConf, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 100_000; i++) {
    if (check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function alive(pids: readonly number[]): number[] {
  return pids.filter((p) => isAlive(p));
}

/** SIGKILLs `pid` and every descendant it has now (test cleanup). */
export function killTree(pid: number): void {
  for (const p of [...descendantsOf(pid).reverse(), pid]) signalPid(p, 'SIGKILL');
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const c of stream) out += String(c);
  return out;
}

/** A clock whose timers fire only when the test says so. */
export class ManualClock implements Clock {
  private t: number;
  private timers: Array<{ at: number; fn: () => void; handle: object }> = [];
  constructor(start = Date.parse('2025-01-01T00:00:00Z')) {
    this.t = start;
  }
  now(): Date {
    return new Date(this.t);
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = {};
    this.timers.push({ at: this.t + ms, fn, handle });
    return handle;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((x) => x.handle !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const d of due) d.fn();
  }
}
