import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { builtinProgramPath } from './catalog.js';
import { httpGet, runProgram, udpAsk, waitForOutput, type Program } from './_testing.js';

const started: Program[] = [];
after(async () => {
  for (const p of started) await p.stop();
});

function connect(args: string[]): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [builtinProgramPath('agnhost'), 'connect', ...args], { encoding: 'utf8', timeout: 15_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** A port nobody listens on at `host`: bind, read the port, close. */
async function closedPort(host: string): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, host, r));
  const addr = srv.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('agnhost netexec', () => {
  const ip = '127.244.250.221';
  let p: Program;

  test('starts HTTP on --http-port and UDP on --udp-port, bound to $POD_IP', async () => {
    p = runProgram('agnhost', ['netexec', '--http-port=18180', '--udp-port', '18181'], { HOSTNAME: 'netexec-pod', POD_IP: ip });
    started.push(p);
    await waitForOutput(p, /Started HTTP server on port 18180/);
    await waitForOutput(p, /Started UDP server on port 127\.244\.250\.221 18181/);
  });

  test('/hostname answers the pod hostname', async () => {
    const r = await httpGet(`http://${ip}:18180/hostname`);
    assert.deepEqual(r, { status: 200, body: 'netexec-pod' });
  });

  test('/clientip reports the client address and port it connected from', async () => {
    const r = await httpGet(`http://${ip}:18180/clientip`, { localAddress: '127.244.250.222' });
    assert.match(r.body, /^127\.244\.250\.222:\d+$/);
  });

  test('/echo?msg= echoes the message, with an optional status code', async () => {
    assert.deepEqual(await httpGet(`http://${ip}:18180/echo?msg=hello%20world`), { status: 200, body: 'hello world' });
    assert.deepEqual(await httpGet(`http://${ip}:18180/echo?msg=gone&code=404`), { status: 404, body: 'gone' });
  });

  test('UDP answers "hostname", "echo <msg>" and "clientip"', async () => {
    assert.equal(await udpAsk(ip, 18181, 'hostname'), 'netexec-pod');
    assert.equal(await udpAsk(ip, 18181, 'echo Hi There\n'), 'hi there');
    assert.match(await udpAsk(ip, 18181, 'clientip'), /^127\.\d+\.\d+\.\d+:\d+$/);
  });

  test('/dial reaches another server and reports its answers as JSON', async () => {
    const r = await httpGet(`http://${ip}:18180/dial?request=hostname&protocol=udp&host=${ip}&port=18181&tries=2`);
    assert.deepEqual(JSON.parse(r.body), { responses: ['netexec-pod', 'netexec-pod'] });
  });

  test('/healthz is ready while the UDP server runs', async () => {
    assert.equal((await httpGet(`http://${ip}:18180/healthz`)).status, 200);
  });
});

describe('agnhost serve-hostname', () => {
  test('serves the hostname over HTTP on 9376 by default', async () => {
    const p = runProgram('agnhost', ['serve-hostname'], { HOSTNAME: 'sh-pod', POD_IP: '127.244.250.223' });
    started.push(p);
    await waitForOutput(p, /Serving on port 9376/);
    assert.equal((await httpGet('http://127.244.250.223:9376/')).body, 'sh-pod');
  });

  test('serves over UDP with --udp --http=false --port', async () => {
    const p = runProgram('agnhost', ['serve-hostname', '--udp', '--http=false', '--port=18190'], { HOSTNAME: 'udp-pod', POD_IP: '127.244.250.224' });
    started.push(p);
    await waitForOutput(p, /Serving on port 18190/);
    assert.equal(await udpAsk('127.244.250.224', 18190, 'x'), 'udp-pod');
  });

  test('refuses --udp together with HTTP, as upstream', async () => {
    const r = spawnSync(process.execPath, [builtinProgramPath('agnhost'), 'serve-hostname', '--udp'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Can't server TCP\/UDP mode and HTTP mode at the same time/);
  });
});

describe('agnhost connect', () => {
  test('prints REFUSED and exits 1 for a closed port', async () => {
    const port = await closedPort('127.244.250.225');
    const r = connect(['--timeout=3s', `127.244.250.225:${port}`]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'REFUSED\n');
  });

  test('exits 0 silently when the connection succeeds', async () => {
    const srv = createServer((s) => s.destroy());
    await new Promise<void>((r) => srv.listen(0, '127.244.250.226', r));
    const addr = srv.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    try {
      const r = connect(['--timeout=3s', `127.244.250.226:${port}`]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
    } finally {
      srv.close();
    }
  });

  test('reports UNKNOWN for an address without a port and DNS for an unknown name', () => {
    const bad = connect(['no-port']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^UNKNOWN: address no-port: missing port in address/);
    const dns = connect(['--timeout=3s', 'no-such-host.invalid:80']);
    assert.equal(dns.code, 1);
    assert.match(dns.stderr, /^DNS: /);
  });

  test('over UDP prints REFUSED for a closed port', async () => {
    const port = await closedPort('127.244.250.227');
    const r = connect(['--protocol=udp', '--timeout=3s', `127.244.250.227:${port}`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^REFUSED: /);
  });
});

test('an unknown subcommand fails like cobra', () => {
  const r = spawnSync(process.execPath, [builtinProgramPath('agnhost'), 'frobnicate'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown command "frobnicate" for "agnhost"/);
});
