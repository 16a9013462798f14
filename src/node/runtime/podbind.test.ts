import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, it } from 'node:test';
import { podBindEnv, podBindShim } from './podbind.js';

function run(argv: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0]!, argv.slice(1), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: 'ignore' });
    const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolve(code ?? -1);
    });
  });
}

/** A server on 127.0.0.1 that records the peer address of each connection. */
async function peerRecorder(): Promise<{ port: number; peers: string[]; close(): void }> {
  const peers: string[] = [];
  const server = net.createServer((s) => {
    peers.push(s.remoteAddress ?? '');
    s.end('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, peers, close: () => server.close() };
}

describe('podbind shim', () => {
  it('is built by the build step', () => {
    assert.ok(podBindShim(), 'dist/native/podbind.so is missing: scripts/build-native.mjs did not build it');
  });

  it('makes an unmodified program connect from $POD_IP', async () => {
    const srv = await peerRecorder();
    try {
      const env = { POD_IP: '127.244.250.77' };
      const code = await run(['/bin/busybox', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${srv.port}/`], { ...env, ...podBindEnv(env) });
      assert.equal(code, 0);
      assert.deepEqual(srv.peers, ['127.244.250.77']);
    } finally {
      srv.close();
    }
  });

  it('leaves programs alone without POD_IP, keeping another LD_PRELOAD after it', async () => {
    assert.deepEqual(podBindEnv({}), {});
    assert.deepEqual(podBindEnv({ POD_IP: '127.244.0.2', LD_PRELOAD: '/x.so' }, '/s.so'), { LD_PRELOAD: '/s.so:/x.so' });
    const srv = await peerRecorder();
    try {
      const code = await run(['/bin/busybox', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${srv.port}/`], { LD_PRELOAD: podBindShim() ?? '' });
      assert.equal(code, 0);
      assert.deepEqual(srv.peers, ['127.0.0.1']);
    } finally {
      srv.close();
    }
  });
});
