import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { notFound } from '../../api/index.js';
import { createPodStreamsHandler } from './index.js';
import { finalStatus, nonZeroExitStatus, parseCommandOptions } from './remotecommand.js';
import { SpdyConnection, type SpdyStream } from './spdy/connection.js';
import { ScriptedStreams, startUpgradeServer, storedPod, waitFor } from './_testing.js';

const pod = storedPod('p', ['app', 'side']);
const one = storedPod('solo', ['app']);
const q = (s: string) => new URLSearchParams(s);

describe('parseCommandOptions reads the query kubectl sends', () => {
  test('one `command=` per argv element, flags absent = false', () => {
    assert.deepEqual(parseCommandOptions('exec', pod, q('command=ls&command=%2F&container=app&stderr=true&stdout=true')), {
      container: 'app',
      command: ['ls', '/'],
      tty: false,
      stdin: false,
      stdout: true,
      stderr: true,
    });
  });

  test('a tty drops stderr', () => {
    const o = parseCommandOptions('exec', pod, q('command=sh&container=app&stdin=true&stdout=true&stderr=true&tty=true'));
    assert.equal(o.tty, true);
    assert.equal(o.stderr, false);
  });

  test('the only container is the default; several need a name (upstream messages)', () => {
    assert.equal(parseCommandOptions('attach', one, q('stdout=true')).container, 'app');
    assert.throws(() => parseCommandOptions('attach', pod, q('stdout=true')), /a container name must be specified for pod p, choose one of: \[app side\]/);
    assert.throws(() => parseCommandOptions('attach', pod, q('stdout=true&container=x')), /container x is not valid for pod p/);
  });

  test('at least one stream is required, and exec needs a command', () => {
    assert.throws(() => parseCommandOptions('exec', one, q('command=ls&tty=true')), /you must specify at least 1 of stdin, stdout, stderr/);
    assert.throws(() => parseCommandOptions('exec', one, q('stdout=true')), /at least one command/);
    assert.deepEqual(parseCommandOptions('attach', one, q('stdout=1')).command, []);
  });
});

describe('the error-channel status', () => {
  test('success is exactly {"metadata":{},"status":"Success"}', () => {
    assert.equal(JSON.stringify(finalStatus('exec', ['true'], { exit: { code: 0 } })), '{"metadata":{},"status":"Success"}');
  });

  test('a non-zero exit is NonZeroExitCode with the code as cause ExitCode', () => {
    assert.equal(
      JSON.stringify(nonZeroExitStatus(['sh', '-c', 'exit 5'], 5)),
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 5], exit code 5","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"5"}]}}',
    );
  });

  test('attach is Success whatever the exit code (kubectl run -it --rm)', () => {
    assert.deepEqual(finalStatus('attach', [], { exit: { code: 3 } }), { metadata: {}, status: 'Success' });
  });

  test('an error is an InternalError, a StatusError keeps its own Status', () => {
    const s = finalStatus('exec', ['x'], { error: new Error('boom') });
    assert.equal(s.reason, 'InternalError');
    assert.equal(s.message, 'Internal error occurred: error executing command in container: boom');
    assert.equal('kind' in s, false);
    const a = finalStatus('attach', [], { error: new Error('gone') });
    assert.equal(a.message, 'Internal error occurred: error attaching to container: gone');
    const nf = finalStatus('exec', ['x'], { error: notFound({ group: '', resource: 'pods' }, 'p') });
    assert.equal(nf.reason, 'NotFound');
    assert.equal(nf.code, 404);
  });
});

// ------------------------------------------------------------------------------------------

describe('exec and attach over WebSocket', () => {
  const streams = new ScriptedStreams();
  let server: Awaited<ReturnType<typeof startUpgradeServer>>;
  before(async () => {
    server = await startUpgradeServer(createPodStreamsHandler(streams, { drainTimeoutMs: 300, closeGraceMs: 1000 }), pod);
  });
  after(() => server.close());

  interface Client {
    ws: WebSocket;
    messages: { data: Buffer; binary: boolean }[];
    closed: Promise<number>;
  }
  const open = async (path: string, protocols: string[] = ['v5.channel.k8s.io']): Promise<Client> => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, protocols);
    const messages: { data: Buffer; binary: boolean }[] = [];
    ws.on('message', (data: Buffer, binary: boolean) => messages.push({ data, binary }));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await once(ws, 'open');
    return { ws, messages, closed };
  };
  const frame = (channel: number, text: string) => Buffer.concat([Buffer.from([channel]), Buffer.from(text)]);
  const EXEC = '/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=exit%205&container=app&stdin=true&stdout=true&stderr=true';

  test('sends stdout, then the status on channel 3, then a close frame 1000', async () => {
    const next = streams.next();
    const c = await open('/api/v1/namespaces/default/pods/p/exec?command=echo&command=hi&container=app&stdout=true');
    const s = await next;
    s.stdout.write('hi\n');
    s.exit(0);
    assert.equal(await c.closed, 1000);
    assert.deepEqual(
      c.messages.map((m) => [m.binary, m.data.toString('hex')]),
      [
        [true, frame(1, 'hi\n').toString('hex')],
        [true, frame(3, '{"metadata":{},"status":"Success"}').toString('hex')],
      ],
    );
    assert.equal(c.ws.protocol, 'v5.channel.k8s.io');
    assert.equal(s.closeCalls, 1);
  });

  test('reports a non-zero exit, keeps stderr on channel 2', async () => {
    const next = streams.next();
    const c = await open(EXEC);
    const s = await next;
    s.stderr.write('oops\n');
    s.exit(5);
    await c.closed;
    assert.deepEqual(c.messages[0]!.data, frame(2, 'oops\n'));
    const status = JSON.parse(c.messages[1]!.data.subarray(1).toString()) as { reason: string; details: { causes: { reason: string; message: string }[] } };
    assert.equal(c.messages[1]!.data[0], 3);
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '5' }]);
  });

  test('passes stdin on, ends it at `FF 00`, and answers pings', async () => {
    const next = streams.next();
    const c = await open(EXEC);
    const s = await next;
    let got = '';
    s.stdin.on('data', (d: Buffer) => (got += d.toString()));
    const ended = once(s.stdin, 'end');
    const pong = once(c.ws, 'pong');
    c.ws.ping(Buffer.from('hb'));
    assert.deepEqual((await pong)[0], Buffer.from('hb'));
    c.ws.send(frame(0, 'a\nb\n'));
    c.ws.send(Buffer.from([0xff, 0x00]));
    await ended;
    assert.equal(got, 'a\nb\n');
    s.exit(0);
    assert.equal(await c.closed, 1000);
  });

  test('forwards terminal sizes to the session', async () => {
    const next = streams.next();
    const c = await open('/api/v1/namespaces/default/pods/p/attach?container=app&stdin=true&stdout=true&tty=true');
    const s = await next;
    c.ws.send(frame(4, '{"Width":81,"Height":25}\n'));
    c.ws.send(frame(4, '{"Width":80,"Height":24}\n'));
    await waitFor(() => s.resizes.length === 2, { timeoutMs: 2000 });
    assert.deepEqual(s.resizes, [
      { cols: 81, rows: 25 },
      { cols: 80, rows: 24 },
    ]);
    s.exit(3);
    await c.closed;
    assert.equal(c.messages.at(-1)!.data.subarray(1).toString(), '{"metadata":{},"status":"Success"}', 'attach is always Success');
  });

  test('closes the session as soon as the client goes away', async () => {
    const next = streams.next();
    const c = await open(EXEC);
    const s = await next;
    c.ws.terminate();
    await waitFor(() => s.closeCalls === 1, { timeoutMs: 2000, what: 'session.close()' });
  });

  test('sends the status even when the output never ends (the drain is bounded)', async () => {
    const next = streams.next();
    const c = await open(EXEC);
    const s = await next;
    s.stdout.write('partial');
    const exitedAt = Date.now();
    // A grandchild still holds the pipe: the process exited but stdout never ends.
    s.exitKeepingOutput(0);
    assert.equal(await c.closed, 1000);
    const waited = Date.now() - exitedAt;
    assert.ok(waited >= 250 && waited < 3000, `waited ${waited} ms for a drain of 300 ms`);
    assert.deepEqual(
      c.messages.map((m) => m.data.toString()),
      ['\x01partial', '\x03{"metadata":{},"status":"Success"}'],
    );
  });

  test('an exit error becomes an InternalError status', async () => {
    const next = streams.next();
    const c = await open(EXEC);
    const s = await next;
    s.fail(new Error('executable file not found in $PATH'));
    await c.closed;
    const status = JSON.parse(c.messages.at(-1)!.data.subarray(1).toString()) as { message: string; reason: string; code: number };
    assert.equal(status.reason, 'InternalError');
    assert.equal(status.code, 500);
    assert.equal(status.message, 'Internal error occurred: error executing command in container: executable file not found in $PATH');
  });

  test('base64.channel.k8s.io uses text frames and a plain-text failure', async () => {
    const next = streams.next();
    const c = await open(EXEC, ['base64.channel.k8s.io']);
    const s = await next;
    c.ws.send('0aGk=');
    const got = await new Promise<string>((resolve) => s.stdin.once('data', (d: Buffer) => resolve(d.toString())));
    assert.equal(got, 'hi');
    s.stdout.write('yo');
    s.exit(2);
    await c.closed;
    assert.deepEqual(
      c.messages.map((m) => [m.binary, m.data.toString()]),
      [
        [false, '1eW8='],
        [false, '3' + Buffer.from('command terminated with non-zero exit code: error executing command [sh -c exit 5], exit code 2').toString('base64')],
      ],
    );
  });

  const refused = (path: string, protocols = ['v5.channel.k8s.io']) =>
    new Promise<{ code: number; body: string; type: string }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, protocols);
      ws.on('open', () => reject(new Error('upgrade should have been refused')));
      ws.on('error', () => undefined);
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
      });
    });

  test("a node agent's plain error is a 500 text answer; a StatusError is its Status", async () => {
    streams.refuse = new Error('container not found ("app")');
    const r = await refused(EXEC);
    assert.equal(r.code, 500);
    assert.equal(r.body, 'container not found ("app")\n');
    streams.refuse = notFound({ group: '', resource: 'pods' }, 'p');
    const s = await refused(EXEC);
    assert.equal(s.code, 404);
    assert.match(s.type, /application\/json/);
    assert.equal((JSON.parse(s.body) as { message: string }).message, 'pods "p" not found');
  });

  test('bad requests are refused before anything starts', async () => {
    const before = streams.sessions.length;
    const none = await refused('/api/v1/namespaces/default/pods/p/exec?command=ls&container=app');
    assert.equal(none.code, 400);
    assert.match(none.body, /you must specify at least 1 of stdin, stdout, stderr/);
    const proto = await refused(EXEC, ['v9.channel.k8s.io']);
    assert.equal(proto.code, 400);
    assert.match(proto.body, /requested protocol\(s\) are not supported/);
    assert.equal(streams.sessions.length, before);
  });
});

// ------------------------------------------------------------------------------------------

/** Sends a raw SPDY upgrade request; on 101 returns a client SpdyConnection on the socket. */
async function spdyUpgrade(port: number, path: string, versions: string | undefined): Promise<{ status: number; text: string; conn?: SpdyConnection; socket: Socket }> {
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', 'Content-Length: 0'];
  if (versions !== undefined) lines.push(`X-Stream-Protocol-Version: ${versions}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  let buf: Buffer = Buffer.alloc(0);
  const headEnd = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const i = buf.indexOf('\r\n\r\n');
      if (i >= 0) {
        socket.off('data', onData);
        resolve(i);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  const text = buf.subarray(0, headEnd).toString();
  const status = Number(text.split(' ')[1]);
  if (status !== 101) {
    const rest = [buf.subarray(headEnd + 4)];
    socket.on('data', (d: Buffer) => rest.push(d));
    await once(socket, 'close');
    return { status, text: text + '\r\n\r\n' + Buffer.concat(rest).toString(), socket };
  }
  const conn = new SpdyConnection(socket, { role: 'client', head: buf.subarray(headEnd + 4) });
  return { status, text, conn, socket };
}

const readStream = async (s: SpdyStream): Promise<string> => {
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString()));
  if (!s.readableEnded) await once(s, 'end');
  return out;
};

describe('exec over SPDY (the fallback)', () => {
  const streams = new ScriptedStreams();
  let server: Awaited<ReturnType<typeof startUpgradeServer>>;
  before(async () => {
    server = await startUpgradeServer(createPodStreamsHandler(streams, { drainTimeoutMs: 300, closeGraceMs: 500, streamCreationTimeoutMs: 300 }), pod);
  });
  after(() => server.close());
  const EXEC = '/api/v1/namespaces/default/pods/p/exec?command=sh&container=app&stdout=true&stderr=true';

  test('picks the first version the client offers, as kubectl lists them', async () => {
    const r = await spdyUpgrade(server.port, EXEC, 'v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io');
    assert.equal(r.status, 101);
    assert.match(r.text, /\r\nUpgrade: SPDY\/3.1\r\n/);
    assert.match(r.text, /\r\nX-Stream-Protocol-Version: v5.channel.k8s.io/);
    r.socket.destroy();
    await waitFor(() => streams.sessions.at(-1)?.closeCalls === 1, { what: 'session closed' });
  });

  test('v4: output and FIN on stdout/stderr, then the Status JSON and FIN on the error stream', async () => {
    const next = streams.next();
    const r = await spdyUpgrade(server.port, EXEC, 'v4.channel.k8s.io');
    const conn = r.conn!;
    const error = await conn.openStream([['streamType', 'error']]);
    const stdout = await conn.openStream([['streamType', 'stdout']]);
    const stderr = await conn.openStream([['streamType', 'stderr']]);
    const s = await next;
    s.stdout.write('out');
    s.stderr.write('err');
    s.exit(7);
    assert.equal(await readStream(stdout), 'out');
    assert.equal(await readStream(stderr), 'err');
    const status = JSON.parse(await readStream(error)) as { reason: string; details: { causes: { message: string }[] } };
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.equal(status.details.causes[0]!.message, '7');
    conn.destroy();
    await waitFor(() => s.closeCalls === 1, { what: 'session closed' });
  });

  test('v2: success leaves the error stream empty; a failure is plain text', async () => {
    for (const [code, want] of [
      [0, ''],
      [4, 'command terminated with non-zero exit code: error executing command [sh], exit code 4'],
    ] as const) {
      const next = streams.next();
      const r = await spdyUpgrade(server.port, '/api/v1/namespaces/default/pods/p/exec?command=sh&container=app&stdout=true', 'v2.channel.k8s.io');
      assert.match(r.text, /X-Stream-Protocol-Version: v2.channel.k8s.io/);
      const conn = r.conn!;
      const error = await conn.openStream([['streamType', 'error']]);
      const stdout = await conn.openStream([['streamType', 'stdout']]);
      const s = await next;
      s.exit(code);
      await readStream(stdout);
      assert.equal(await readStream(error), want);
      conn.destroy();
    }
  });

  test('a client that never opens its streams is dropped after the creation timeout', async () => {
    const next = streams.next();
    const r = await spdyUpgrade(server.port, EXEC, 'v4.channel.k8s.io');
    const s = await next;
    await r.conn!.openStream([['streamType', 'error']]);
    await r.conn!.closed;
    assert.equal(s.closeCalls, 1);
  });

  test('a client that goes away mid-session gets its session closed', async () => {
    const next = streams.next();
    const r = await spdyUpgrade(server.port, EXEC, 'v4.channel.k8s.io');
    for (const t of ['error', 'stdout', 'stderr']) await r.conn!.openStream([['streamType', t]]);
    const s = await next;
    r.socket.destroy();
    await waitFor(() => s.closeCalls === 1, { what: 'session closed' });
  });

  test('negotiation failures are answered as upstream does', async () => {
    const none = await spdyUpgrade(server.port, EXEC, 'channel.k8s.io');
    assert.equal(none.status, 403);
    assert.match(none.text, /unable to upgrade: unable to negotiate protocol: client supports \[channel.k8s.io\], server accepts \[v5.channel.k8s.io v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io\]/);
    assert.match(none.text, /X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io/);
    const missing = await spdyUpgrade(server.port, EXEC, undefined);
    assert.equal(missing.status, 400);
    assert.match(missing.text, /X-Stream-Protocol-Version is required/);
  });
});
