import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpGet, runProgram, waitForOutput, type Program } from './_testing.js';

const started: Program[] = [];
after(async () => {
  for (const p of started) await p.stop();
});

test('hello answers every request with the pod hostname on $POD_IP:8080', async () => {
  const p = runProgram('hello', [], { HOSTNAME: 'http-go-5d8f7-abcde', POD_IP: '127.244.250.211' });
  started.push(p);
  await waitForOutput(p, /serving hostname/);
  const root = await httpGet('http://127.244.250.211:8080/');
  assert.equal(root.status, 200);
  assert.equal(root.body, 'http-go-5d8f7-abcde\n');
  assert.equal((await httpGet('http://127.244.250.211:8080/any/path')).body, 'http-go-5d8f7-abcde\n');
});

test('hello binds only $POD_IP, so pods share port 8080', async () => {
  const a = runProgram('hello', [], { HOSTNAME: 'pod-a', POD_IP: '127.244.250.212' });
  const b = runProgram('hello', [], { HOSTNAME: 'pod-b', POD_IP: '127.244.250.213' });
  started.push(a, b);
  await Promise.all([waitForOutput(a, /serving/), waitForOutput(b, /serving/)]);
  assert.equal((await httpGet('http://127.244.250.212:8080/')).body, 'pod-a\n');
  assert.equal((await httpGet('http://127.244.250.213:8080/')).body, 'pod-b\n');
});

test('hello exits 0 on SIGTERM', async () => {
  const p = runProgram('hello', ['--port=18091'], { HOSTNAME: 'x', POD_IP: '127.244.250.214' });
  started.push(p);
  await waitForOutput(p, /serving/);
  const exited = new Promise<number | null>((r) => p.proc.once('exit', (code) => r(code)));
  p.proc.kill('SIGTERM');
  assert.equal(await exited, 0);
});
