import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPodSandbox, type PodSandbox } from './sandbox.js';
import { startContainer, type ContainerHandle } from './container.js';
import { execInContainer } from './exec.js';
import { detectRuntime, type RuntimeMode } from './mode.js';
import { alive, isRoot, killTree, makePodDir, readAll, waitUntil } from './_testing.js';
import { RuntimeError } from './errors.js';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function running(name: string, mode: RuntimeMode): Promise<{ sb: PodSandbox; c: ContainerHandle }> {
  const pod = makePodDir(name);
  cleanups.push(() => pod.remove());
  const sb = await createPodSandbox(name, { podDir: pod.dir, hostsPath: pod.hosts, resolvConfPath: pod.resolvConf, runtime: detectRuntime({ prefer: mode === 'process-group' ? 'process-group' : undefined }) });
  cleanups.push(async () => {
    if (sb.holderPid !== undefined) killTree(sb.holderPid);
    await sb.destroy();
  });
  const c = await startContainer(sb, { name: 'main', argv: ['sleep', '300'], env: { GREETING: 'hi' }, cwd: '/tmp', logPath: join(pod.dir, 'logs/main/0.log') });
  cleanups.push(() => void c.kill());
  return { sb, c };
}

const modes: RuntimeMode[] = isRoot ? ['namespaces', 'process-group'] : ['process-group'];

for (const mode of modes) {
  describe(`${mode} mode`, () => {
    test('exec returns the exit code and sees the container environment and working directory', async () => {
      const { c } = await running('exec-env', mode);
      const e = await execInContainer(c, ['sh', '-c', 'echo "$GREETING $HOSTNAME $(pwd)"; echo oops >&2; exit 5']);
      const [out, err, exit] = await Promise.all([readAll(e.stdout), readAll(e.stderr ?? e.stdout), e.exited]);
      assert.equal(out, 'hi exec-env /tmp\n');
      assert.equal(err, 'oops\n');
      assert.equal(exit.exitCode, 5);
    });

    test('exec with a terminal echoes input, follows resize, and returns the exit code', async () => {
      const { c } = await running('exec-tty', mode);
      const e = await execInContainer(c, ['sh'], { tty: true, stdin: true, terminalSize: { cols: 100, rows: 30 } });
      assert.equal(e.stderr, undefined);
      const out = readAll(e.stdout);
      await new Promise((r) => setTimeout(r, 200));
      e.stdin?.write('stty size\r');
      await new Promise((r) => setTimeout(r, 200));
      e.resize(120, 40);
      await new Promise((r) => setTimeout(r, 100));
      e.stdin?.write('stty size; exit 7\r');
      const exit = await e.exited;
      const text = await out;
      assert.equal(exit.exitCode, 7);
      assert.match(text, /stty size\r\n/, 'input is echoed');
      assert.match(text, /30 100/);
      assert.match(text, /40 120/);
    });

    test('exec processes die when the container is killed', async () => {
      const { c } = await running('exec-dies', mode);
      const e = await execInContainer(c, ['sh', '-c', 'sleep 300']);
      const pid = e.pid;
      cleanups.push(() => killTree(pid));
      await c.kill();
      const exit = await e.exited;
      assert.notEqual(exit.exitCode, 0);
      await waitUntil(() => alive([pid]).length === 0, 2000, `exec process ${pid} to die`);
    });

    test('exec of a missing program is an ExecError', async () => {
      const { c } = await running('exec-missing', mode);
      await assert.rejects(execInContainer(c, ['no-such-kubeloop-tool']), (err: unknown) => err instanceof RuntimeError && err.reason === 'ExecError');
    });
  });
}

describe('namespaces mode', { skip: !isRoot && 'needs root' }, () => {
  test('exec sees the container hostname and only the container processes', async () => {
    const { c } = await running('exec-host', 'namespaces');
    const e = await execInContainer(c, ['sh', '-c', 'hostname; ls /proc | grep -c "^[0-9]"']);
    const [out, exit] = await Promise.all([readAll(e.stdout), e.exited]);
    const [host, count] = out.trim().split('\n');
    assert.equal(host, 'exec-host', `output was ${JSON.stringify(out)}`);
    assert.ok(Number(count) <= 5, `the container PID namespace has few processes (saw ${count})`);
    assert.equal(exit.exitCode, 0);
  });
});

test('exec in a container that ended is an ExecError', async () => {
  const { c } = await running('exec-ended', isRoot ? 'namespaces' : 'process-group');
  await c.kill();
  await assert.rejects(execInContainer(c, ['true']), /container is not running/);
});
