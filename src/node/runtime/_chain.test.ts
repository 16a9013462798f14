import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guarded, holderCommand, namespacedContainerCommand, namespacedExecCommand, plainCommand, GUARD_SCRIPT } from './_chain.js';
import type { HostTools } from './mode.js';

const tools: HostTools = {
  sh: '/bin/sh',
  setpriv: '/usr/bin/setpriv',
  nsenter: '/usr/bin/nsenter',
  unshare: '/usr/bin/unshare',
  setsid: '/usr/bin/setsid',
  mount: '/usr/bin/mount',
  sleep: '/usr/bin/sleep',
};
const guard = { parentPid: 4242, diagPath: '/pod/.runtime/x.err', parentDeathSignal: true };

test('every chain starts with a parent-death SIGKILL and the parent check', () => {
  const c = guarded(tools, guard, ['/bin/true']);
  assert.equal(c.file, '/usr/bin/setpriv');
  assert.deepEqual(c.args.slice(0, 7), ['--pdeathsig', 'KILL', '--', '/bin/sh', '-c', GUARD_SCRIPT, 'kubeloop-guard']);
  assert.deepEqual(c.args.slice(7), ['4242', '/pod/.runtime/x.err', '/bin/true']);
});

test('without setpriv the chain starts with the guard shell', () => {
  const c = guarded(tools, { ...guard, parentDeathSignal: false }, ['/bin/true']);
  assert.equal(c.file, '/bin/sh');
  assert.equal(c.args[1], GUARD_SCRIPT);
});

test('the holder gets new UTS and mount namespaces and binds each file', () => {
  const c = holderCommand(tools, guard, 'web-0', [{ source: '/pod/hosts', target: '/etc/hosts' }]);
  const args = c.args.join(' ');
  assert.match(args, /\/usr\/bin\/unshare --uts --mount --propagation private -- \/bin\/sh -c /);
  assert.deepEqual(c.args.slice(-5), ['/usr/bin/mount', '/usr/bin/sleep', 'web-0', '/pod/hosts', '/etc/hosts']);
});

test('a container joins the holder namespaces and gets its own PID namespace tied to unshare', () => {
  const c = namespacedContainerCommand(tools, guard, 77, ['sleep', '1'], { cwd: '/srv', tty: false });
  const args = c.args.join(' ');
  assert.match(args, /nsenter --uts=\/proc\/77\/ns\/uts --mount=\/proc\/77\/ns\/mnt --wd=\/srv -- \/usr\/bin\/unshare --pid --fork --kill-child --mount-proc -- /);
  assert.deepEqual(c.args.slice(-2), ['sleep', '1']);
});

test('an exec enters the container PID namespace through pid_for_children', () => {
  const c = namespacedExecCommand(tools, guard, 88, ['sh'], { cwd: '/', tty: true });
  const args = c.args.join(' ');
  assert.match(args, /--pid=\/proc\/88\/ns\/pid_for_children/);
  assert.ok(c.args.includes('/usr/bin/setsid'), 'a terminal exec leads its own session');
});

test('process-group chains have no namespace tools', () => {
  const c = plainCommand(tools, guard, ['sleep', '1']);
  assert.ok(!c.args.some((a) => a.includes('nsenter') || a.includes('unshare')));
});
