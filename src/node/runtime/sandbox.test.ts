import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPodSandbox, type PodSandbox } from './sandbox.js';
import { startContainer } from './container.js';
import { detectRuntime } from './mode.js';
import { isAlive } from './_proc.js';
import { isRoot, makePodDir, killTree, type PodDir } from './_testing.js';
import { containerLogPath, readContainerLogs } from './log-reader.js';
import { RuntimeError } from './errors.js';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function sandboxFor(name: string, prefer?: 'process-group'): Promise<{ sb: PodSandbox; pod: PodDir }> {
  const pod = makePodDir(name);
  cleanups.push(() => pod.remove());
  const sb = await createPodSandbox(name, {
    podDir: pod.dir,
    hostsPath: pod.hosts,
    resolvConfPath: pod.resolvConf,
    runtime: detectRuntime(prefer ? { prefer } : {}),
  });
  cleanups.push(async () => {
    if (sb.holderPid !== undefined) killTree(sb.holderPid);
    await sb.destroy();
  });
  return { sb, pod };
}

let probes = 0;

/** Runs `script` in a container of the sandbox and returns its logged output. */
async function runIn(sb: PodSandbox, pod: PodDir, script: string): Promise<string> {
  const dir = `${pod.dir}/logs/probe-${++probes}`;
  const c = await startContainer(sb, { name: 'probe', argv: ['sh', '-c', script], logPath: containerLogPath(dir, 0) });
  cleanups.push(() => void c.kill());
  await c.exited;
  let out = '';
  for await (const chunk of readContainerLogs(dir)) out += chunk.toString();
  return out;
}

test('as root the runtime runs in namespaces mode', { skip: !isRoot && 'needs root' }, () => {
  const info = detectRuntime();
  assert.equal(info.mode, 'namespaces', info.reason);
  assert.ok(info.parentDeathSignal);
});

test('process-group mode can be requested and says so', () => {
  const info = detectRuntime({ prefer: 'process-group' });
  assert.equal(info.mode, 'process-group');
  assert.match(info.reason, /requested/);
});

describe('namespaces mode', { skip: !isRoot && 'needs root' }, () => {
  test('the hostname inside the sandbox is the pod name', async () => {
    const { sb, pod } = await sandboxFor('web-7f9c4');
    assert.equal(sb.mode, 'namespaces');
    const out = await runIn(sb, pod, 'cat /proc/sys/kernel/hostname');
    assert.equal(out.trim(), 'web-7f9c4');
  });

  test('/etc/resolv.conf and /etc/hosts inside are the files the caller provided', async () => {
    const { sb, pod } = await sandboxFor('dns-probe');
    const out = await runIn(sb, pod, 'cat /etc/resolv.conf; echo ---; cat /etc/hosts');
    assert.match(out, /^nameserver 127\.96\.0\.10\nsearch default\.svc\.cluster\.local/);
    assert.match(out, /---\n127\.0\.0\.1\tlocalhost\n127\.244\.250\.250\tdns-probe\n/);
  });

  test('the host keeps its own hostname and resolv.conf', async () => {
    const { sb, pod } = await sandboxFor('leak-check');
    await runIn(sb, pod, 'true');
    const { hostname } = await import('node:os');
    const { readFileSync } = await import('node:fs');
    assert.notEqual(hostname(), 'leak-check');
    assert.doesNotMatch(readFileSync('/etc/resolv.conf', 'utf8'), /127\.96\.0\.10/);
  });

  test('destroying the sandbox kills its containers and its holder', async () => {
    const { sb, pod } = await sandboxFor('teardown');
    const c = await startContainer(sb, { name: 'sleeper', argv: ['sh', '-c', 'sleep 300 & sleep 300'], logPath: `${pod.dir}/logs/s/0.log` });
    const holder = sb.holderPid;
    assert.ok(holder !== undefined && isAlive(holder));
    await sb.destroy();
    const exit = await c.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.equal(isAlive(holder), false);
    assert.equal(isAlive(c.pid), false);
    assert.equal(sb.alive, false);
  });

  test('a missing hosts file is a SandboxError naming it', async () => {
    const pod = makePodDir('nohosts');
    cleanups.push(() => pod.remove());
    await assert.rejects(
      createPodSandbox('nohosts', { podDir: pod.dir, hostsPath: `${pod.dir}/missing` }),
      (err: unknown) => err instanceof RuntimeError && err.reason === 'SandboxError' && /missing/.test(err.message),
    );
  });
});

describe('process-group mode', () => {
  test('the pod name is in $HOSTNAME', async () => {
    const { sb, pod } = await sandboxFor('pg-pod', 'process-group');
    assert.equal(sb.mode, 'process-group');
    assert.equal(sb.holderPid, undefined);
    const out = await runIn(sb, pod, 'echo "$HOSTNAME"');
    assert.equal(out.trim(), 'pg-pod');
  });
});

test('an invalid hostname is refused', async () => {
  const pod = makePodDir('bad');
  cleanups.push(() => pod.remove());
  await assert.rejects(createPodSandbox('Bad_Name!', { podDir: pod.dir }), /not a valid hostname/);
});
