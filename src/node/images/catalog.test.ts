import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerConfigError, ImagePullError, builtinProgramPath, containerArgv, loadUserCatalog, resolveImage } from './catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeloop-catalog-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cacheDir = join(dir, 'cache');

test('gasbugs/http-go and kubeloop/hello run the built-in hello program with node', () => {
  for (const image of ['gasbugs/http-go', 'docker.io/gasbugs/http-go:v1', 'kubeloop/hello:latest']) {
    const c = resolveImage(image, { cacheDir });
    assert.deepEqual(c.entrypoint, [process.execPath, builtinProgramPath('hello')]);
    assert.deepEqual(c.cmd, []);
    assert.equal(c.source, 'builtin:hello');
  }
  assert.match(builtinProgramPath('hello'), /\/images\/hello\.js$/);
});

test('agnhost at any registry and tag runs the built-in agnhost with cmd pause', () => {
  const c = resolveImage('registry.k8s.io/e2e-test-images/agnhost:2.52', { cacheDir });
  assert.deepEqual(c.entrypoint, [process.execPath, builtinProgramPath('agnhost')]);
  assert.deepEqual(c.cmd, ['pause']);
  assert.deepEqual(containerArgv(c, { args: ['netexec', '--http-port=8080'] }), [process.execPath, builtinProgramPath('agnhost'), 'netexec', '--http-port=8080']);
});

test('a command naming /agnhost runs the built-in agnhost', () => {
  const c = resolveImage('k8s.gcr.io/e2e-test-images/agnhost:2.20', { cacheDir });
  assert.deepEqual(containerArgv(c, { command: ['/agnhost', 'serve-hostname'], args: ['--port=9376'] }), [
    process.execPath,
    builtinProgramPath('agnhost'),
    'serve-hostname',
    '--port=9376',
  ]);
});

test('command replaces the entrypoint and args replace the cmd, as in Kubernetes', () => {
  const c = { image: 'x', source: 'test', entrypoint: ['/ep'], cmd: ['default'], env: {}, paths: {} };
  assert.deepEqual(containerArgv(c, {}), ['/ep', 'default']);
  assert.deepEqual(containerArgv(c, { args: ['a'] }), ['/ep', 'a']);
  assert.deepEqual(containerArgv(c, { command: ['/bin/true'] }), ['/bin/true']);
  assert.deepEqual(containerArgv(c, { command: ['/bin/echo'], args: ['b'] }), ['/bin/echo', 'b']);
  assert.deepEqual(containerArgv(c, { command: [], args: [] }), ['/ep', 'default'], 'empty lists count as unset');
  assert.throws(() => containerArgv({ ...c, entrypoint: [], cmd: [] }, {}), ContainerConfigError);
});

test('busybox has no entrypoint, cmd sh, and its applets first in PATH', () => {
  const c = resolveImage('busybox:1.36', { cacheDir });
  assert.deepEqual(c.entrypoint, []);
  assert.deepEqual(c.cmd, ['sh']);
  const path = c.env['PATH'] ?? '';
  const applets = path.split(':')[0] ?? '';
  assert.match(applets, /busybox-bin$/);
  // `wget` resolves to busybox's applet: its help names BusyBox.
  const help = execFileSync('sh', ['-c', 'wget --help 2>&1 || true'], { env: { PATH: path }, encoding: 'utf8' });
  assert.match(help, /BusyBox/);
  assert.deepEqual(containerArgv(c, { args: ['wget', '-O-', '-q', 'http://127.0.0.1/'] }), ['wget', '-O-', '-q', 'http://127.0.0.1/']);
});

test('an unknown image fails with ErrImagePull and says how to map it', () => {
  const catalog = join(dir, 'data', 'images.yaml');
  assert.throws(
    () => resolveImage('myorg/web:2.1', { userCatalogPath: catalog, cacheDir }),
    (err: unknown) =>
      err instanceof ImagePullError &&
      err.reason === 'ErrImagePull' &&
      err.message.startsWith('Failed to pull image "myorg/web:2.1": ') &&
      err.message.includes(catalog) &&
      err.message.includes('image: myorg/web'),
  );
});

test('the user catalog maps an image to a command and wins over built-ins', () => {
  const catalog = join(dir, 'user-images.yaml');
  writeFileSync(
    catalog,
    `images:
  - image: myorg/web
    entrypoint: [/bin/sh, -c]
    cmd: ["echo hi"]
    env: { MODE: prod }
  - image: busybox:1.0
    entrypoint: [/bin/true]
`,
  );
  const web = resolveImage('registry.example.com/myorg/web:3', { userCatalogPath: catalog, cacheDir });
  assert.deepEqual([web.entrypoint, web.cmd, web.env, web.source], [['/bin/sh', '-c'], ['echo hi'], { MODE: 'prod' }, catalog]);
  assert.deepEqual(resolveImage('busybox:1.0', { userCatalogPath: catalog, cacheDir }).entrypoint, ['/bin/true']);
  assert.equal(resolveImage('busybox:1.36', { userCatalogPath: catalog, cacheDir }).source, 'builtin:busybox');
});

test('a user entry whose program is missing is an ErrImagePull naming the program', () => {
  const catalog = join(dir, 'missing-program.yaml');
  writeFileSync(catalog, 'images:\n  - image: redis\n    entrypoint: [/nonexistent/redis-server]\n');
  assert.throws(() => resolveImage('redis:7', { userCatalogPath: catalog, cacheDir }), /\/nonexistent\/redis-server, which does not exist/);
});

test('an invalid user catalog is reported with its path and field, and built-ins still resolve', () => {
  const catalog = join(dir, 'bad.yaml');
  writeFileSync(catalog, 'images:\n  - image: app\n    entrypoint: /bin/app\n');
  assert.throws(() => loadUserCatalog(catalog), /Cannot load image catalog .*bad\.yaml: images\[0\]\.entrypoint: must be a list of strings/);
  assert.equal(resolveImage('busybox', { userCatalogPath: catalog, cacheDir }).source, 'builtin:busybox');
  assert.throws(() => resolveImage('app', { userCatalogPath: catalog, cacheDir }), /must be a list of strings/);
});

test('redis runs Debian\'s redis-server through an entrypoint that binds $POD_IP, like the image\'s', { skip: !existsSync('/usr/bin/redis-server') && 'redis-server is not installed' }, () => {
  const c = resolveImage('redis:7', { cacheDir });
  assert.equal(c.source, 'builtin:redis');
  assert.deepEqual(c.cmd, ['redis-server']);
  const run = (argv: string[], env: Record<string, string>) =>
    execFileSync('sh', ['-c', `${argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}`], { env: { ...env, PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
  // Replace the server with echo to see the argv it would get.
  const echoing = (argv: string[]) => argv.map((a) => a.replace(/\/usr\/bin\/redis-server|\/usr\/local\/bin\/redis-server/g, 'echo'));
  assert.equal(run(echoing(containerArgv(c, {})), { POD_IP: '127.244.1.9' }), '--bind 127.244.1.9 --protected-mode no\n');
  assert.equal(run(echoing(containerArgv(c, { args: ['--appendonly', 'yes'] })), { POD_IP: '127.244.1.9' }), '--bind 127.244.1.9 --protected-mode no --appendonly yes\n');
  assert.equal(run(echoing(containerArgv(c, { args: ['/etc/redis.conf', '--port', '7000'] })), { POD_IP: '127.244.1.9' }), '/etc/redis.conf --bind 127.244.1.9 --protected-mode no --port 7000\n');
  assert.equal(run(echoing(containerArgv(c, { command: ['redis-server'], args: ['--port', '7000'] })), {}), '--bind 0.0.0.0 --protected-mode no --port 7000\n');
  assert.equal(run(echoing(containerArgv(c, { args: ['echo', 'other'] })), {}), 'other\n');
});

