// The built-in images run through the runtime, as the node agent will run them.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { containerArgv, resolveImage } from '../images/index.js';
import { createPodSandbox } from './sandbox.js';
import { startContainer, type ContainerHandle } from './container.js';
import { execInContainer } from './exec.js';
import { detectRuntime } from './mode.js';
import { isRoot, killTree, makePodDir, readAll } from './_testing.js';
import { containerLogPath, readContainerLogs } from './log-reader.js';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 3000, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function runImage(pod: string, podIP: string, image: string, spec: { command?: string[]; args?: string[] }, env: Record<string, string> = {}): Promise<ContainerHandle> {
  const dir = makePodDir(pod);
  cleanups.push(() => dir.remove());
  const sb = await createPodSandbox(pod, { podDir: dir.dir, hostsPath: dir.hosts, resolvConfPath: dir.resolvConf, runtime: detectRuntime() });
  cleanups.push(async () => {
    if (sb.holderPid !== undefined) killTree(sb.holderPid);
    await sb.destroy();
  });
  const config = resolveImage(image, { cacheDir: join(dir.dir, 'cache') });
  const c = await startContainer(sb, {
    name: 'main',
    argv: containerArgv(config, spec),
    env: { ...config.env, POD_IP: podIP, ...env },
    logPath: containerLogPath(join(dir.dir, 'logs'), 0),
  });
  cleanups.push(() => void c.kill());
  return c;
}

async function poll(url: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (let i = 0; i < 500 && Date.now() < deadline; i++) {
    try {
      return await get(url);
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not answer within 10 s`);
}

test('gasbugs/http-go answers its pod hostname on $POD_IP:8080', async () => {
  // An empty HOSTNAME makes the program ask the kernel, i.e. the sandbox's UTS namespace as root.
  const c = await runImage('http-go-6bd9b-x2k4p', '127.244.250.231', 'gasbugs/http-go', {}, isRoot ? { HOSTNAME: '' } : {});
  assert.equal(await poll('http://127.244.250.231:8080/'), 'http-go-6bd9b-x2k4p\n');
  const exit = await c.stop({ gracePeriodMs: 5000 });
  assert.equal(exit.exitCode, 0, 'hello stops on SIGTERM as PID 1');
});

test('agnhost netexec serves /hostname in its pod, and exec runs agnhost connect inside it', async () => {
  const c = await runImage('netexec-0', '127.244.250.232', 'registry.k8s.io/e2e-test-images/agnhost:2.52', { args: ['netexec', '--http-port=8080', '--udp-port=-1'] }, isRoot ? { HOSTNAME: '' } : {});
  assert.equal(await poll('http://127.244.250.232:8080/hostname'), 'netexec-0');
  const e = await execInContainer(c, [...c.argv.slice(0, 2), 'connect', '--timeout=3s', '127.244.250.232:1']);
  const [err, exit] = await Promise.all([readAll(e.stderr ?? e.stdout), e.exited]);
  assert.equal(err, 'REFUSED\n');
  assert.equal(exit.exitCode, 1);
});

test('busybox runs its applets: sh -c with wget fetches from a pod', async () => {
  const server = await runImage('web-1', '127.244.250.233', 'kubeloop/hello', {});
  await poll('http://127.244.250.233:8080/');
  const c = await runImage('bb', '127.244.250.234', 'busybox', { args: ['sh', '-c', 'wget -q -O- http://127.244.250.233:8080/'] });
  const exit = await c.exited;
  let log = '';
  for await (const chunk of readContainerLogs(join(c.sandbox.podDir, 'logs'))) log += chunk.toString();
  assert.equal(exit.exitCode, 0, log);
  assert.equal(log, 'web-1\n');
  await server.kill();
});
