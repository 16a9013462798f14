// exec, attach (kubectl run -i semantics: stdinOnce, exit ends the pod) and port-forward.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { eventually } from '../../testing/index.js';
import { containerState, httpGet, phase, ready, running, startHarness, type Harness } from './_testing.js';

let h: Harness;
before(async () => {
  h = await startHarness(209);
});
after(async () => {
  await h?.close();
});

async function readAll(r: Readable | undefined): Promise<string> {
  let s = '';
  if (!r) return s;
  for await (const c of r) s += String(c);
  return s;
}

describe('exec', () => {
  test('runs a command in the container: stdout, stderr and the exit code come back', async () => {
    await h.create('box', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '600'] }] });
    const pod = await h.waitFor('box', 'Running', running);
    const s = await h.agent.streams.exec(pod, { container: 'app', command: ['sh', '-c', 'echo out; echo err >&2; exit 5'], tty: false, stdin: false, stdout: true, stderr: true });
    const [out, err, exit] = await Promise.all([readAll(s.stdout), readAll(s.stderr), s.exit]);
    s.close();
    assert.deepEqual([out, err, exit.code], ['out\n', 'err\n', 5]);
  });

  test('passes stdin through until the client closes it', async () => {
    const pod = await h.waitFor('box', 'Running', running);
    const s = await h.agent.streams.exec(pod, { container: 'app', command: ['cat'], tty: false, stdin: true, stdout: true, stderr: false });
    s.stdin?.end('piped text\n');
    assert.equal(await readAll(s.stdout), 'piped text\n');
    assert.equal((await s.exit).code, 0);
    s.close();
  });

  test('a missing program reports the runtime error; a missing container refuses the upgrade', async () => {
    const pod = await h.waitFor('box', 'Running', running);
    const s = await h.agent.streams.exec(pod, { container: 'app', command: ['no-such-tool'], tty: false, stdin: false, stdout: true, stderr: true });
    await assert.rejects(s.exit, /executable file not found in \$PATH/);
    s.close();
    await assert.rejects(h.agent.streams.exec(pod, { container: 'nope', command: ['true'], tty: false, stdin: false, stdout: true, stderr: false }), { message: 'container not found ("nope")' });
  });
});

describe('attach', () => {
  test('kubectl run -i: the attached shell runs what the client types; its exit ends the pod with that code', async () => {
    await h.create('shell', { restartPolicy: 'Never', containers: [{ name: 'shell', image: 'busybox', stdin: true, stdinOnce: true }] });
    const pod = await h.waitFor('shell', 'Running and Ready', (p) => running(p) && ready(p));
    const s = await h.agent.streams.attach(pod, { container: 'shell', tty: false, stdin: true, stdout: true, stderr: true });
    const out = readAll(s.stdout);
    s.stdin?.write('echo hello from $HOSTNAME\n');
    s.stdin?.write('exit 3\n');
    assert.deepEqual(await s.exit, { code: 0 }, 'an attachment reports success; the pod carries the exit code');
    s.close();
    assert.equal(await out, 'hello from shell\n');
    const done = await h.waitFor('shell', 'Failed', phase('Failed'));
    assert.equal(containerState(done, 'shell')?.state?.terminated?.exitCode, 3);
  });

  test('kubectl run -it: with a terminal the shell echoes and exits on the client\'s "exit"', async () => {
    await h.create('tty', { restartPolicy: 'Never', containers: [{ name: 'tty', image: 'busybox', stdin: true, stdinOnce: true, tty: true }] });
    const pod = await h.waitFor('tty', 'Running and Ready', (p) => running(p) && ready(p));
    const s = await h.agent.streams.attach(pod, { container: 'tty', tty: true, stdin: true, stdout: true, stderr: false });
    assert.equal(s.stderr, undefined);
    s.resize?.(81, 25);
    s.resize?.(80, 24);
    let out = '';
    s.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    s.stdin?.write('echo $((6*7))\r');
    await eventually(() => out.includes('42'), { timeoutMs: 5000, message: `shell answered (${JSON.stringify(out)})` });
    s.stdin?.write('exit\r');
    await s.exit;
    s.close();
    await h.waitFor('tty', 'Succeeded', phase('Succeeded'));
  });

  test('stdinOnce: when the first attached client goes away, the container\'s stdin closes', async () => {
    await h.create('once', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['cat'], stdin: true, stdinOnce: true }] });
    const pod = await h.waitFor('once', 'Running', running);
    const s = await h.agent.streams.attach(pod, { container: 'app', tty: false, stdin: true, stdout: true, stderr: false });
    s.stdin?.write('kept\n');
    await eventually(async () => (await h.logs('once')).body === 'kept\n', { timeoutMs: 3000, message: 'cat echoed into the log' });
    s.close();
    await h.waitFor('once', 'Succeeded after EOF', phase('Succeeded'));
  });
});

describe('port-forward', () => {
  test('connects to the pod\'s port on its IP', async () => {
    await h.create('web', { containers: [{ name: 'app', image: 'gasbugs/http-go' }] });
    const pod = await h.waitFor('web', 'Running', running);
    await eventually(() => httpGet(`http://${pod.status?.podIP}:8080/`), { timeoutMs: 5000, intervalMs: 50 });
    const sock = await h.agent.streams.portForward(pod, 8080);
    sock.end('GET / HTTP/1.0\r\nHost: x\r\n\r\n');
    const reply = await readAll(sock);
    assert.match(reply, /^HTTP\/1\.1 200 OK/);
    assert.ok(reply.endsWith('\r\n\r\nweb\n'));
    await assert.rejects(h.agent.streams.portForward(pod, 9), /connect: connection refused/);
  });
});
