// The real kubectl 1.32 against the real API server (in-process, temp data dir, port 0) with
// this folder's handler and a ContainerStreams of real local processes and sockets. Each test
// also proves that no process outlives its session. Everything started is stopped by pid.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { spawn as spawnPty, type IPty } from 'node-pty';
import type { Pod } from '../../api/index.js';
import { startApiServer, type RunningApiServer } from '../index.js';
import { createPodStreamsHandler } from './index.js';
import { freePort, ProcessStreams, startEchoHttpServer, waitFor, writeKubeconfig } from './_testing.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const WS_OFF = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
const PF_WS_OFF = { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' };

describe('kubectl exec, attach and port-forward against the streams handler', { timeout: 240_000 }, () => {
  let dataDir: string;
  let api: RunningApiServer;
  let fake: ProcessStreams;
  let echo: Awaited<ReturnType<typeof startEchoHttpServer>>;
  let kube: ReturnType<typeof writeKubeconfig>;
  const children = new Set<ChildProcess>();
  const ptys = new Set<IPty>();
  const logLines: Record<string, unknown>[] = [];
  /** `Upgrade` header of every upgrade request, so a test can prove which transport was used. */
  const upgrades: string[] = [];
  const upgradesSince = (mark: number): string[] => [...new Set(upgrades.slice(mark).map((u) => u.toLowerCase()))];

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: kube.home,
    KUBECONFIG: kube.kubeconfig,
    ...extra,
  });

  /** kubectl as a child process (never spawnSync: the API server runs in this process). */
  const kubectl = (args: string[], o: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn('kubectl', args, { env: env(o.env), stdio: ['pipe', 'pipe', 'pipe'] });
      children.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`kubectl ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, o.timeoutMs ?? 30_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        children.delete(child);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(o.input ?? '');
    });

  /** kubectl on a real terminal (node-pty), for -t sessions. */
  const kubectlTty = (args: string[], extraEnv: Record<string, string> = {}) => {
    const term = spawnPty('kubectl', args, { name: 'xterm', cols: 100, rows: 30, cwd: kube.home, env: env(extraEnv) });
    ptys.add(term);
    let out = '';
    term.onData((d) => (out += d));
    const exited = new Promise<number>((resolve) =>
      term.onExit(({ exitCode }) => {
        ptys.delete(term);
        resolve(exitCode);
      }),
    );
    return { term, output: () => out, exited };
  };

  /**
   * Types `keys` until `expect` shows up: a shell starting on a fresh pty may flush input typed
   * before it set up the terminal, so one early keystroke can be lost. Bounded to 10 tries.
   */
  const typeUntil = async (k: ReturnType<typeof kubectlTty>, keys: string, expect: RegExp): Promise<void> => {
    for (let i = 0; i < 10; i++) {
      k.term.write(keys);
      const seen = await waitFor(() => expect.test(k.output()), { timeoutMs: 2000 }).catch(() => false);
      if (seen) return;
    }
    assert.fail(`never saw ${expect} after typing ${JSON.stringify(keys)}; terminal: ${JSON.stringify(k.output())}`);
  };

  const pod = (name: string, containers: { name: string; tty?: boolean }[]): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: containers.map((c) => ({ name: c.name, image: 'busybox', ...(c.tty ? { stdin: true, tty: true } : {}) })) },
  });

  async function createRunningPod(p: Pod): Promise<void> {
    const res = api.registry.mustResource('pods');
    const created = (await api.registry.create(res, 'default', p)) as unknown as Pod;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await api.registry.updateStatus(res, 'default', p.metadata.name!, {
      ...created,
      status: {
        ...created.status,
        phase: 'Running',
        podIP: '127.0.0.1',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
        containerStatuses: p.spec.containers.map((c) => ({ name: c.name, ready: true, restartCount: 0, image: c.image ?? '', imageID: '', started: true, state: { running: { startedAt: now } } })),
      },
    });
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kubeloop-streams-'));
    echo = await startEchoHttpServer();
    fake = new ProcessStreams({
      containers: ['app'],
      ports: new Map([[8080, echo.port]]),
      attachCommand: (tty) => (tty ? ['/bin/sh'] : ['/bin/sh', '-c', 'echo main says hello; sleep 0.2; echo main says bye; exit 3']),
    });
    const handler = createPodStreamsHandler(fake, { closeGraceMs: 3000, log: (l) => logLines.push(l) });
    api = await startApiServer({
      dataDir,
      port: 0,
      podStreams: {
        logs: async (_p, _q, res) => void res.end(),
        upgrade: (kind, p, req, socket, head) => {
          upgrades.push(req.headers.upgrade ?? '');
          handler(kind, p, req, socket, head);
        },
      },
    });
    kube = writeKubeconfig({ server: api.url, caCert: api.credentials.caCert, token: api.credentials.token });
    await createRunningPod(pod('p', [{ name: 'app' }, { name: 'side' }]));
    await createRunningPod(pod('tp', [{ name: 'app', tty: true }]));
  });

  afterEach(async () => {
    // No process may outlive its session.
    await waitFor(() => fake.alive().length === 0, { timeoutMs: 10_000, what: `no live processes (alive: ${fake.alive().join(',')})` }).catch((e: Error) => {
      fake.killAll();
      throw e;
    });
  });

  after(async () => {
    for (const c of children) if (c.pid !== undefined && c.exitCode === null) c.kill('SIGKILL');
    for (const t of ptys) t.kill('SIGKILL');
    fake?.killAll();
    await api?.close();
    await echo?.close();
    kube?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [transport, extra, upgrade] of [
    ['WebSocket v5', {}, 'websocket'],
    ['SPDY', WS_OFF, 'spdy/3.1'],
  ] as const) {
    describe(`exec over ${transport}`, () => {
      test('prints the output of `kubectl exec P -- echo hi`', async () => {
        const mark = upgrades.length;
        const r = await kubectl(['exec', 'p', '-c', 'app', '--', 'echo', 'hi'], { env: extra });
        assert.equal(r.stdout, 'hi\n', r.stderr);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(upgradesSince(mark), [upgrade], 'no fallback to another transport');
      });

      test('exits with the command exit code and says so', async () => {
        const r = await kubectl(['exec', 'p', '-c', 'app', '--', 'sh', '-c', 'exit 3'], { env: extra });
        assert.equal(r.code, 3);
        assert.match(r.stderr, /command terminated with exit code 3/);
      });

      test('keeps stdout and stderr apart', async () => {
        const r = await kubectl(['exec', 'p', '-c', 'app', '--', 'sh', '-c', 'echo out; echo err >&2'], { env: extra });
        assert.equal(r.stdout, 'out\n');
        assert.equal(r.stderr, 'err\n');
        assert.equal(r.code, 0);
      });

      test('passes piped stdin through and ends it at EOF (`kubectl exec -i P -- cat`)', async () => {
        const r = await kubectl(['exec', '-i', 'p', '-c', 'app', '--', 'cat'], { input: 'a\nb\n', env: extra });
        assert.equal(r.stdout, 'a\nb\n', r.stderr);
        assert.equal(r.code, 0);
      });

      test('moves a large output intact', async () => {
        const r = await kubectl(['exec', 'p', '-c', 'app', '--', 'sh', '-c', 'i=0; while [ $i -lt 20000 ]; do echo line-$i; i=$((i+1)); done'], { env: extra });
        const lines = r.stdout.trimEnd().split('\n');
        assert.equal(lines.length, 20000);
        assert.equal(lines[19999], 'line-19999');
        assert.equal(r.code, 0);
      });

      test('runs an interactive shell on a terminal (`kubectl exec -it P -- sh`)', async () => {
        const k = kubectlTty(['exec', '-it', 'p', '-c', 'app', '--', 'sh'], extra);
        await waitFor(() => fake.calls.some((c) => c.kind === 'exec' && c.tty === true && c.command?.[0] === 'sh') && k.output().includes('$ '), { what: 'a prompt' });
        await typeUntil(k, 'echo $((6*7))\r', /\r\n42\r\n/);
        k.term.write('exit\r');
        assert.equal(await k.exited, 0, k.output());
        // The client's terminal size reached the process.
        assert.ok(fake.resizes.some((s) => s.cols === 100 && s.rows === 30), JSON.stringify(fake.resizes));
      });

      test('kills the process when the client goes away', async () => {
        const child = spawn('kubectl', ['exec', 'p', '-c', 'app', '--', 'sleep', '60'], { env: env(extra), stdio: 'ignore' });
        children.add(child);
        const before = fake.pids.size;
        await waitFor(() => fake.pids.size > before && fake.alive().length > 0, { what: 'the sleep to start' });
        child.kill('SIGKILL');
        await waitFor(() => fake.alive().length === 0, { what: 'the sleep to be killed' });
        children.delete(child);
      });
    });
  }

  test('refuses an unknown container with the API server message', async () => {
    const r = await kubectl(['exec', 'p', '-c', 'nope', '--', 'true']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(BadRequest\): container nope is not valid for pod p/);
  });

  test("reports the node agent's refusal as `unable to upgrade connection`", async () => {
    const r = await kubectl(['exec', 'p', '-c', 'side', '--', 'true']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unable to upgrade connection: container not found \("side"\)/);
  });

  test('`kubectl attach P` streams the main process and ends with success whatever its exit code', async () => {
    const r = await kubectl(['attach', 'p', '-c', 'app']);
    assert.equal(r.stdout, 'main says hello\nmain says bye\n', r.stderr);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /falling back to streaming logs/);
    assert.ok(fake.closes.includes('attach'));
  });

  for (const [transport, extra, upgrade] of [
    ['WebSocket v5', {}, 'websocket'],
    ['SPDY', WS_OFF, 'spdy/3.1'],
  ] as const) {
    test(`\`kubectl attach -it\` over ${transport} gets a terminal and the double resize`, async () => {
      fake.resizes.length = 0;
      const mark = upgrades.length;
      const k = kubectlTty(['attach', '-it', 'tp', '-c', 'app'], extra);
      await waitFor(() => fake.calls.some((c) => c.kind === 'attach' && c.tty === true) && fake.resizes.length >= 2 && k.output().includes('$ '), {
        what: 'attach with resizes and a prompt',
      });
      await typeUntil(k, 'echo $((6*7))\r', /\r\n42\r\n/);
      k.term.write('exit\r');
      const code = await k.exited;
      assert.equal(code, 0, k.output());
      // attach forces a redraw: size+1 first, then the real size (kubectl attach.go).
      assert.deepEqual(fake.resizes.slice(0, 2), [
        { cols: 101, rows: 31 },
        { cols: 100, rows: 30 },
      ]);
      assert.deepEqual(upgradesSince(mark), [upgrade]);
    });
  }

  const httpThrough = (port: number, path: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = httpGet({ host: '127.0.0.1', port, path, agent: false, headers: { Connection: 'close' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    });

  for (const [transport, extra, upgrade] of [
    ['the WebSocket tunnel', {}, 'websocket'],
    ['raw SPDY', PF_WS_OFF, 'spdy/3.1'],
  ] as const) {
    test(`\`kubectl port-forward\` over ${transport} carries sequential and parallel HTTP requests`, async () => {
      const mark = upgrades.length;
      const local = await freePort();
      const child = spawn('kubectl', ['port-forward', '--address', '127.0.0.1', 'pod/p', `${local}:8080`], { env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      try {
        await waitFor(() => out.includes(`Forwarding from 127.0.0.1:${local} -> 8080`), { what: `kubectl to listen (output: ${out})` });
        for (let i = 0; i < 3; i++) assert.equal(await httpThrough(local, `/seq/${i}`), `hello from /seq/${i}\n`);
        const bodies = await Promise.all(Array.from({ length: 8 }, (_, i) => httpThrough(local, `/par/${i}`)));
        assert.deepEqual(
          bodies,
          Array.from({ length: 8 }, (_, i) => `hello from /par/${i}\n`),
        );
        assert.match(out, /Handling connection for/);
        // Every pod connection was released once its request finished.
        await waitFor(() => echo.openSockets() === 0, { what: 'pod sockets to close' });
        assert.deepEqual(upgradesSince(mark), [upgrade]);
      } finally {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('close', r));
        children.delete(child);
      }
    });
  }

  test('`kubectl port-forward` reports a refused pod port on the error stream', async () => {
    const local = await freePort();
    const closed = await freePort();
    const child = spawn('kubectl', ['port-forward', '--address', '127.0.0.1', 'pod/p', `${local}:${closed}`], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
    try {
      await waitFor(() => out.includes(`Forwarding from 127.0.0.1:${local}`), { what: 'kubectl to listen' });
      await httpThrough(local, '/x').catch(() => '');
      assert.equal(await exited, 1);
      assert.match(out, new RegExp(`an error occurred forwarding ${local} -> ${closed}: error forwarding port ${closed} to pod p_default`));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      children.delete(child);
    }
  });
});
