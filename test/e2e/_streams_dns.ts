// Helpers of the [streams] and [dns] acceptance files: bounded waits, interactive kubectl in a
// private tmux server, kubectl as a background process, plain HTTP through a local port, and dig
// with its answer parsed. Everything started here is stopped by name or pid by its owner.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../src/api/index.js';
import type { Kubeloop } from './harness.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every `everyMs` until it returns something truthy; throws after `ms`. */
export async function until<T>(fn: () => T | Promise<T>, opts: { ms?: number; what?: string; everyMs?: number } = {}): Promise<NonNullable<T>> {
  const ms = opts.ms ?? 10_000;
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${opts.what ?? 'condition'} not reached in ${ms} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(opts.everyMs ?? 100);
  }
}

/** A TCP port free on 127.0.0.1 right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('Cannot pick a free port: no address'))));
    });
  });
}

/** One GET on a fresh connection; resolves with status and body. */
export function httpGet(host: string, port: number, opts: { path?: string; timeoutMs?: number } = {}): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, path: opts.path ?? '/', agent: false, timeout: opts.timeoutMs ?? 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET http://${host}:${port}${opts.path ?? '/'} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** The environment that points kubectl at this cluster, as `env` arguments for a shell command. */
function kubectlEnvWords(kl: Kubeloop, env: Record<string, string> = {}): string[] {
  return Object.entries({ HOME: kl.home, KUBECONFIG: kl.kubeconfig, ...env }).map(([k, v]) => `${k}=${v}`);
}

/** Shell-quotes one word. */
export function shq(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A `kubectl ...` shell command line for this cluster (for tmux). */
export function kubectlLine(kl: Kubeloop, args: string[], env: Record<string, string> = {}): string {
  return ['env', ...kubectlEnvWords(kl, env), 'kubectl', ...args].map(shq).join(' ');
}

/** kubectl running in the background; `output()` is stdout and stderr so far. */
export interface BackgroundKubectl {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches, rejects when kubectl exits first or after `ms`. */
  waitFor(re: RegExp, opts?: { ms?: number; what?: string }): Promise<RegExpMatchArray>;
  /** SIGKILL (the client just goes away) and wait for the exit. */
  kill(): Promise<void>;
}

export function spawnKubectl(kl: Kubeloop, args: string[], env: Record<string, string> = {}): BackgroundKubectl {
  const child = spawn('kubectl', args, { env: { ...process.env, HOME: kl.home, KUBECONFIG: kl.kubeconfig, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    async waitFor(re, opts = {}) {
      return until(
        () => {
          const m = out.match(re);
          if (m) return m;
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`kubectl ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before ${re}:\n${out}`);
          return undefined;
        },
        { ms: opts.ms ?? 15_000, what: `${opts.what ?? String(re)} in the output of kubectl ${args.join(' ')}`, everyMs: 50 },
      ).catch((e: Error) => {
        throw new Error(`${e.message}\noutput so far:\n${out}`);
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * A private tmux server on its own socket (in a temp dir), so sessions run with the environment
 * given here and `killServer()` ends every session this file started, and nothing else.
 */
export class Tmux {
  private readonly dir: string;
  private readonly socket: string;

  constructor() {
    const v = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
    if (v.error || v.status !== 0) throw new Error(`Cannot drive interactive kubectl: tmux is not installed (${v.error?.message ?? v.stderr})`);
    this.dir = mkdtempSync(join(tmpdir(), 'kubeloop-tmux-'));
    this.socket = join(this.dir, 'socket');
  }

  private tmux(args: string[]): string {
    const r = spawnSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  /** Runs `line` in a new 200×50 session; the pane stays after it ends, showing `EXIT=<code>`. */
  start(session: string, line: string): TmuxSession {
    this.tmux(['new-session', '-d', '-s', session, '-x', '200', '-y', '50', `${line}; echo EXIT=$?; sleep 60`]);
    return new TmuxSession(session, (args) => this.tmux(args));
  }

  killServer(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server'], { encoding: 'utf8', timeout: 10_000 });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class TmuxSession {
  constructor(
    readonly name: string,
    private readonly tmux: (args: string[]) => string,
  ) {}

  /** The pane's text, wrapped lines joined. */
  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-200', '-t', this.name]);
  }

  /** Types `text` and presses Enter. */
  type(text: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', text]);
    this.tmux(['send-keys', '-t', this.name, 'Enter']);
  }

  async waitFor(re: RegExp, opts: { ms?: number; what?: string } = {}): Promise<RegExpMatchArray> {
    return until(() => this.screen().match(re), { ms: opts.ms ?? 15_000, what: opts.what ?? String(re), everyMs: 100 }).catch((e: Error) => {
      throw new Error(`${e.message}\nscreen of ${this.name}:\n${this.screen()}`);
    });
  }

  /** Resizes the window (the terminal kubectl sits in). */
  resize(cols: number, rows: number): void {
    this.tmux(['resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows)]);
  }

  /** Waits for a shell prompt (`... # `) on the last non-empty line. */
  async waitForPrompt(what = 'a shell prompt'): Promise<void> {
    await until(() => /#\s*$/.test(this.screen().trimEnd().split('\n').at(-1) ?? ''), { ms: 20_000, what, everyMs: 100 }).catch((e: Error) => {
      throw new Error(`${e.message}\nscreen of ${this.name}:\n${this.screen()}`);
    });
  }

  /** Waits for the command to end and returns its exit code. */
  async exitCode(ms = 30_000): Promise<number> {
    const m = await this.waitFor(/^EXIT=(\d+)$/m, { ms, what: 'kubectl to exit' });
    return Number(m[1]);
  }

  kill(): void {
    try {
      this.tmux(['kill-session', '-t', this.name]);
    } catch {
      // already gone
    }
  }
}

/** Pods matching `selector` once `count` of them run with an IP; then each answers on `httpPort` if given. */
export async function runningPods(kl: Kubeloop, selector: string, opts: { count: number; namespace?: string; httpPort?: number; ms?: number }): Promise<{ name: string; ip: string; node: string }[]> {
  const pods = await until(
    async () => {
      const list = await kl.client.pods(opts.namespace ?? 'default').list({ labelSelector: selector });
      const running = list.items.flatMap((p: Pod) =>
        p.metadata.name && p.status?.phase === 'Running' && p.status.podIP && !p.metadata.deletionTimestamp ? [{ name: p.metadata.name, ip: p.status.podIP, node: p.spec.nodeName ?? '' }] : [],
      );
      return running.length === opts.count ? running : undefined;
    },
    { ms: opts.ms ?? 20_000, what: `${opts.count} running pods with ${selector}` },
  );
  const port = opts.httpPort;
  if (port !== undefined) {
    for (const p of pods) await until(async () => (await httpGet(p.ip, port)).code === 200, { ms: 10_000, what: `${p.name} to answer on ${p.ip}:${port}` });
  }
  return pods;
}

export async function podGone(kl: Kubeloop, name: string, namespace = 'default'): Promise<boolean> {
  try {
    await kl.client.pods(namespace).get(name);
    return false;
  } catch (e) {
    if (/not found/.test((e as Error).message)) return true;
    throw e;
  }
}

// --- dig -----------------------------------------------------------------------------------

export interface DigRecord {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

export interface DigResult {
  status: string;
  flags: string[];
  answer: DigRecord[];
  authority: DigRecord[];
  additional: DigRecord[];
}

/** Fails with a clear message when Debian's dnsutils is missing. */
export function requireDig(): void {
  const r = spawnSync('dig', ['-v'], { encoding: 'utf8' });
  if (r.error) throw new Error(`Cannot run the DNS acceptance tests: dig is not installed (apt-get install dnsutils): ${r.error.message}`);
}

/**
 * One query with dig at `server` (port 53), parsed. Only ask for names the cluster answers
 * itself: anything else is forwarded to the host's resolvers, which may lie outside 127/8.
 */
export function dig(server: string, name: string, type: string, opts: { tcp?: boolean; options?: string[] } = {}): DigResult {
  const args = [`@${server}`, name, type, '+tries=2', '+time=2', '+noall', '+comments', '+answer', '+authority', '+additional', ...(opts.tcp ? ['+tcp'] : []), ...(opts.options ?? [])];
  const r = spawnSync('dig', args, { encoding: 'utf8', timeout: 15_000 });
  if (r.error) throw new Error(`Cannot run dig: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`dig ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  const out: DigResult = { status: '', flags: [], answer: [], authority: [], additional: [] };
  let section: 'answer' | 'authority' | 'additional' | undefined;
  for (const line of r.stdout.split('\n')) {
    const status = /status: (\w+)/.exec(line)?.[1];
    if (status) out.status = status;
    const flags = /^;; flags: ([^;]*);/.exec(line)?.[1];
    if (flags) out.flags = flags.trim().split(/\s+/);
    const sec = /^;; (answer|authority|additional) SECTION:/i.exec(line)?.[1];
    if (sec) section = sec.toLowerCase() as typeof section;
    if (line.startsWith(';') || line.trim() === '' || !section) continue;
    const [rname, ttl, , type, ...data] = line.trim().split(/\s+/);
    if (rname === undefined || type === undefined) throw new Error(`Cannot parse dig's record line ${JSON.stringify(line)}`);
    out[section].push({ name: rname, ttl: Number(ttl), type, data: data.join(' ') });
  }
  if (!out.status) throw new Error(`dig ${args.join(' ')} printed no status:\n${r.stdout}`);
  return out;
}

/** The in-addr.arpa name of an IPv4 address. */
export function ptrName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}
