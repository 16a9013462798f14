import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createPodSandbox, type PodSandbox } from './sandbox.js';
import { startContainer } from './container.js';
import { detectRuntime, type RuntimeMode } from './mode.js';
import { readContainerLogs } from './log-reader.js';
import { descendantsOf } from './_proc.js';
import { ManualClock, alive, isRoot, killTree, makePodDir, readAll, waitUntil, type PodDir } from './_testing.js';
import { RuntimeError } from './errors.js';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function sandboxFor(name: string, mode: RuntimeMode): Promise<{ sb: PodSandbox; pod: PodDir }> {
  const pod = makePodDir(name);
  cleanups.push(() => pod.remove());
  const sb = await createPodSandbox(name, { podDir: pod.dir, hostsPath: pod.hosts, resolvConfPath: pod.resolvConf, runtime: detectRuntime({ prefer: mode === 'process-group' ? 'process-group' : undefined }) });
  cleanups.push(async () => {
    if (sb.holderPid !== undefined) killTree(sb.holderPid);
    await sb.destroy();
  });
  return { sb, pod };
}

const modes: RuntimeMode[] = isRoot ? ['namespaces', 'process-group'] : ['process-group'];

for (const mode of modes) {
  describe(`${mode} mode`, () => {
    test('SIGKILL of the kubeloop process that started a container leaves no process of it alive', async () => {
      const pod = makePodDir('orphan');
      cleanups.push(() => pod.remove());
      const script = join(pod.dir, 'starter.mjs');
      const runtimeUrl = new URL('./index.js', import.meta.url).href;
      writeFileSync(
        script,
        `import { createPodSandbox, startContainer, detectRuntime } from ${JSON.stringify(runtimeUrl)};
const runtime = detectRuntime(${mode === 'process-group' ? "{ prefer: 'process-group' }" : '{}'});
const sb = await createPodSandbox('orphan', { podDir: ${JSON.stringify(pod.dir)}, hostsPath: ${JSON.stringify(pod.hosts)}, resolvConfPath: ${JSON.stringify(pod.resolvConf)}, runtime });
const c = await startContainer(sb, { name: 'main', argv: ['sh', '-c', 'sleep 300 & sleep 300', 'orphan-marker'], logPath: ${JSON.stringify(join(pod.dir, 'logs/main/0.log'))} });
await new Promise((r) => setTimeout(r, 200));
console.log(JSON.stringify({ pid: c.pid, holder: sb.holderPid ?? null }));
setInterval(() => {}, 1000);
`,
      );
      const starter = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const starterPid = starter.pid ?? -1;
      let tracked: number[] = [];
      cleanups.push(() => {
        for (const p of tracked) killTree(p);
        killTree(starterPid);
      });
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: starter.stdout });
        rl.once('line', resolve);
        starter.once('exit', (code) => reject(new Error(`starter exited early (${code})`)));
        setTimeout(() => reject(new Error('starter did not report in 10 s')), 10_000);
      });
      const info = JSON.parse(line) as { pid: number };
      tracked = descendantsOf(starterPid);
      // The container and both sleeps (plus, in process-group mode, the watchdog outside the tree).
      const sleeps = descendantsOf(info.pid);
      assert.equal(sleeps.length, 2, 'the container has its two sleeps running');
      tracked.push(...sleeps);
      assert.ok(alive(tracked).length >= 3);
      process.kill(starterPid, 'SIGKILL');
      await waitUntil(() => alive(tracked).length === 0, 5000, `processes ${alive(tracked).join(',')} to die`);
    });

    test('graceful stop sends SIGTERM and escalates to SIGKILL after the grace period', async () => {
      const { sb, pod } = await sandboxFor('graceful', mode);
      const clock = new ManualClock();
      // sh waiting on a foreground sleep does not die of SIGTERM before the sleep ends.
      const c = await startContainer(sb, {
        name: 'stubborn',
        argv: ['sh', '-c', 'trap "echo got TERM" TERM; sleep 300 & wait; sleep 300 & wait'],
        logPath: join(pod.dir, 'logs/stubborn/0.log'),
        clock,
      });
      cleanups.push(() => void c.kill());
      await new Promise((r) => setTimeout(r, 200));
      const stopping = c.stop({ gracePeriodMs: 30_000 });
      await waitUntil(() => clock.pending === 1, 2000, 'the grace timer');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(c.running, true, 'still running inside the grace period');
      clock.advance(29_000);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(c.running, true, 'still running before the grace period ends');
      clock.advance(1_000);
      const exit = await stopping;
      assert.equal(exit.signal, 'SIGKILL');
      assert.equal(exit.exitCode, 137);
      let log = '';
      for await (const chunk of readContainerLogs(join(pod.dir, 'logs/stubborn'))) log += chunk.toString();
      assert.match(log, /got TERM/, 'the process saw SIGTERM first');
    });

    test('a process that exits on SIGTERM stops without SIGKILL', async () => {
      const { sb, pod } = await sandboxFor('polite', mode);
      const clock = new ManualClock();
      const c = await startContainer(sb, {
        name: 'polite',
        argv: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.05; done'],
        logPath: join(pod.dir, 'logs/polite/0.log'),
        clock,
      });
      cleanups.push(() => void c.kill());
      await new Promise((r) => setTimeout(r, 200));
      const exit = await c.stop({ gracePeriodMs: 30_000 });
      assert.equal(exit.exitCode, 0);
      assert.equal(exit.signal, undefined);
      assert.equal(exit.reason, 'Completed');
      assert.equal(clock.pending, 0, 'the grace timer is cancelled');
    });

    test('kill() ends the container and all its descendants', async () => {
      const { sb, pod } = await sandboxFor('killme', mode);
      const c = await startContainer(sb, { name: 'k', argv: ['sh', '-c', 'sleep 300 & sleep 300'], logPath: join(pod.dir, 'logs/k/0.log') });
      await waitUntil(() => descendantsOf(c.pid).length === 2, 3000, 'the sleeps');
      const pids = [c.pid, ...descendantsOf(c.pid)];
      cleanups.push(() => pids.forEach((p) => killTree(p)));
      const exit = await c.kill();
      assert.equal(exit.exitCode, 137);
      await waitUntil(() => alive(pids).length === 0, 2000, `processes ${alive(pids).join(',')} to die`);
    });

    test('when the main process exits, its background children die too', async () => {
      const { sb, pod } = await sandboxFor('bg', mode);
      const c = await startContainer(sb, { name: 'bg', argv: ['sh', '-c', 'sleep 300 & echo $!; sleep 0.3; exit 3'], logPath: join(pod.dir, 'logs/bg/0.log') });
      await waitUntil(() => descendantsOf(c.pid).length >= 1, 3000, 'the background sleep');
      const bg = descendantsOf(c.pid);
      cleanups.push(() => bg.forEach((p) => killTree(p)));
      const exit = await c.exited;
      assert.equal(exit.exitCode, 3);
      assert.equal(exit.reason, 'Error');
      await waitUntil(() => alive(bg).length === 0, 3000, 'the background sleep to die');
    });

    test('output goes to the CRI log and to attached readers; stdin reaches the process', async () => {
      const { sb, pod } = await sandboxFor('io', mode);
      const c = await startContainer(sb, {
        name: 'cat',
        argv: ['sh', '-c', 'echo started; echo warn >&2; read line; echo "got $line"'],
        stdin: true,
        logPath: join(pod.dir, 'logs/cat/0.log'),
      });
      cleanups.push(() => void c.kill());
      const session = c.attach({ stdin: true });
      const out = readAll(session.stdout);
      const err = readAll(session.stderr ?? session.stdout);
      await new Promise((r) => setTimeout(r, 200));
      session.stdin?.write('hello\n');
      const exit = await c.exited;
      assert.equal(exit.exitCode, 0);
      assert.match(await out, /got hello/);
      let log = '';
      for await (const chunk of readContainerLogs(join(pod.dir, 'logs/cat'), { stream: 'stderr' })) log += chunk.toString();
      assert.equal(log, 'warn\n');
      await err;
    });

    test('a stdinOnce container gives its first attach the output written before it, and only the first', async () => {
      const { sb, pod } = await sandboxFor('early', mode);
      const c = await startContainer(sb, {
        name: 'early',
        argv: ['sh', '-c', 'echo before; echo err-before >&2; read line; echo "got $line"'],
        stdin: true,
        holdOutputForFirstAttach: true,
        logPath: join(pod.dir, 'logs/early/0.log'),
      });
      cleanups.push(() => void c.kill());
      // Everything before the attach is already written (the log file has it).
      await waitUntil(() => existsSync(join(pod.dir, 'logs/early/0.log')) && readFileSync(join(pod.dir, 'logs/early/0.log'), 'utf8').includes('err-before'), 3000, 'the early output');
      const first = c.attach({ stdin: true });
      const second = c.attach();
      const out1 = readAll(first.stdout);
      const err1 = readAll(first.stderr ?? first.stdout);
      const out2 = readAll(second.stdout);
      first.stdin?.write('x\n');
      await c.exited;
      assert.equal(await out1, 'before\ngot x\n');
      assert.equal(await err1, 'err-before\n');
      assert.equal(await out2, 'got x\n', 'a later attach sees output from its own moment on');
    });

    test('without holding, output written before an attach is not replayed to it', async () => {
      const { sb, pod } = await sandboxFor('nohold', mode);
      const c = await startContainer(sb, { name: 'nohold', argv: ['sh', '-c', 'echo before; read line; echo "got $line"'], stdin: true, logPath: join(pod.dir, 'logs/nohold/0.log') });
      cleanups.push(() => void c.kill());
      await waitUntil(() => existsSync(join(pod.dir, 'logs/nohold/0.log')) && readFileSync(join(pod.dir, 'logs/nohold/0.log'), 'utf8').includes('before'), 3000, 'the early output');
      const s = c.attach({ stdin: true });
      const out = readAll(s.stdout);
      s.stdin?.write('y\n');
      await c.exited;
      assert.equal(await out, 'got y\n');
    });

    test('a terminal container echoes input and reports its exit code', async () => {
      const { sb, pod } = await sandboxFor('tty', mode);
      const c = await startContainer(sb, { name: 'sh', argv: ['sh'], tty: true, stdin: true, logPath: join(pod.dir, 'logs/sh/0.log') });
      cleanups.push(() => void c.kill());
      const session = c.attach({ stdin: true });
      const out = readAll(session.stdout);
      assert.equal(session.stderr, undefined);
      await new Promise((r) => setTimeout(r, 200));
      session.stdin?.write('echo $((6*7))\r');
      await new Promise((r) => setTimeout(r, 200));
      session.stdin?.write('exit 4\r');
      const exit = await c.exited;
      assert.equal(exit.exitCode, 4);
      const text = await out;
      assert.match(text, /echo \$\(\(6\*7\)\)/, 'the terminal echoes input');
      assert.match(text, /\r\n42\r\n/);
    });
  });
}

test('a program that does not exist is a StartError before anything runs', async () => {
  const { sb, pod } = await sandboxFor('noprog', isRoot ? 'namespaces' : 'process-group');
  await assert.rejects(
    startContainer(sb, { name: 'x', argv: ['no-such-program-kubeloop'], logPath: join(pod.dir, 'logs/x/0.log') }),
    (err: unknown) => err instanceof RuntimeError && err.reason === 'StartError' && /executable file not found in \$PATH/.test(err.message),
  );
});
