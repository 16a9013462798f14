// [streams] acceptance: kubectl run -it / -i, exec, attach and port-forward, with the real kubectl
// against a real `kubeloop up` (two nodes). Interactive sessions run in a private tmux server.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startKubeloop, type Kubeloop } from './harness.js';
import { freePort, httpGet, kubectlLine, podGone, runningPods, spawnKubectl, Tmux, until, type BackgroundKubectl } from './_streams_dns.js';

/** The little-endian hex form /proc/net/tcp gives `ip:port`. */
function procNetAddress(ip: string, port: number): string {
  const hex = ip
    .split('.')
    .reverse()
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join('');
  return `${hex}:${port.toString(16).padStart(4, '0')}`.toUpperCase();
}

describe('streams: kubectl run, exec, attach and port-forward', () => {
  let kl: Kubeloop;
  let tmux: Tmux;
  let web: { name: string; ip: string }[] = [];
  const webPod = (i: number) => web[i] ?? assert.fail(`no web pod ${i}`);
  const background: BackgroundKubectl[] = [];
  const sockets: Socket[] = [];
  /** Set by the first test: settles when the `bash` pod is gone (it outlives kubectl by its grace period). */
  let bashGone: Promise<Error | undefined> = Promise.resolve(new Error('the run -it --rm bash test did not get as far as the deletion'));

  before(async () => {
    tmux = new Tmux();
    kl = await startKubeloop({ args: ['--nodes', '2'] });
    kl.k(['create', 'deployment', 'http-go', '--image=gasbugs/http-go', '--replicas=2']);
    kl.k(['expose', 'deployment', 'http-go', '--port=80', '--target-port=8080', '--name=http-go-svc']);
    kl.k(['run', 'box', '--image=busybox', '--', 'sleep', '3600']);
    web = await runningPods(kl, 'app=http-go', { count: 2, httpPort: 8080 });
    await runningPods(kl, 'run=box', { count: 1 });
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    for (const b of background) await b.kill();
    tmux?.killServer();
    await kl?.stop();
  });

  const psIn = (pod: string): string => kl.k(['exec', pod, '--', 'ps']);

  it('kubectl run -it --rm --image=busybox bash: shows a prompt, reaches a pod by IP, and exit ends kubectl with 0 and deletes the pod', async () => {
    const s = tmux.start('bash', kubectlLine(kl, ['run', '-it', '--rm', '--image=busybox', 'bash']));
    await s.waitForPrompt();
    const target = webPod(0);
    s.type(`wget -O- -q ${target.ip}:8080`);
    await s.waitFor(new RegExp(`^${target.name}$`, 'm'), { what: "the pod's answer" });
    s.type('exit');
    assert.equal(await s.exitCode(), 0, s.screen());
    assert.match(s.screen(), /^Session ended, resume using 'kubectl attach bash -c bash -i -t' command when the pod is running$/m);
    assert.match(s.screen(), /^pod "bash" deleted$/m);
    const pod = await kl.client
      .pods('default')
      .get('bash')
      .catch(() => undefined);
    assert.ok(pod === undefined || pod.metadata.deletionTimestamp, 'the pod is gone or terminating');
    // The shell restarted (restartPolicy Always) ignores SIGTERM as PID 1, so the pod goes when its
    // 30 s grace period ends — checked by the last test, while the others run.
    bashGone = until(() => podGone(kl, 'bash'), { ms: 45_000, what: 'pod bash to be gone', everyMs: 500 }).then(
      () => undefined,
      (e: Error) => e,
    );
    s.kill();
  });

  it("kubectl run -it --rm --restart=Never ... -- sh -c 'exit 3' exits 3 and deletes the pod", async () => {
    const s = tmux.start('t3', kubectlLine(kl, ['run', '-it', '--rm', '--restart=Never', '--image=busybox', 't3', '--', 'sh', '-c', 'exit 3']));
    assert.equal(await s.exitCode(), 3, s.screen());
    assert.match(s.screen(), /pod "t3" deleted/);
    assert.match(s.screen(), /pod default\/t3 terminated \(Error\)/);
    await until(() => podGone(kl, 't3'), { ms: 15_000, what: 'pod t3 to be gone' });
    s.kill();
  });

  it('kubectl run tmp -i --rm --restart=Never --image=busybox -- wget prints the pod answer and deletes the pod', async () => {
    const target = webPod(1);
    const r = kl.kubectl(['run', 'tmp', '-i', '--rm', '--restart=Never', '--image=busybox', '--', 'wget', '-O-', '-q', `${target.ip}:8080`], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${target.name}$`, 'm'));
    assert.match(r.stdout + r.stderr, /pod "tmp" deleted/);
    await until(() => podGone(kl, 'tmp'), { ms: 15_000, what: 'pod tmp to be gone' });
  });

  it('kubectl run -i --rm --restart=Never ... -- cat gets the piped input once, then its stdin closes (stdinOnce) and the exit code counts', () => {
    const cat = kl.kubectl(['run', 'cat', '-i', '--rm', '--restart=Never', '--image=busybox', '--', 'sh', '-c', 'cat; exit 5'], { input: 'hello\nworld\n' });
    assert.equal(cat.code, 5, cat.stderr);
    assert.match(cat.stdout, /^hello\nworld\n/);
    assert.match(cat.stdout + cat.stderr, /pod "cat" deleted/);
  });

  it('kubectl exec P -- hostname prints the pod name', () => {
    for (const p of web) assert.equal(kl.k(['exec', p.name, '--', 'hostname']).trim(), p.name);
  });

  it('kubectl exec -it P -- sh runs an interactive shell: typed commands answer, the terminal size follows, exit ends kubectl with 0', async () => {
    const s = tmux.start('exec-it', kubectlLine(kl, ['exec', '-it', 'box', '--', 'sh']));
    await s.waitForPrompt();
    s.type('echo hi');
    await s.waitFor(/^hi$/m, { what: 'the output of echo hi' });
    s.type('echo size=$(stty size)');
    await s.waitFor(/^size=50 200$/m, { what: 'the tty size of the tmux window' });
    s.resize(120, 30);
    await until(
      () => {
        s.type('echo size=$(stty size)');
        return s.waitFor(/^size=30 120$/m, { ms: 1000 }).then(
          () => true,
          () => false,
        );
      },
      { ms: 10_000, what: 'the resized tty' },
    );
    s.type('exit');
    assert.equal(await s.exitCode(), 0, s.screen());
    s.kill();
  });

  for (const [transport, env] of [
    ['WebSocket', {}],
    ['SPDY', { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' }],
  ] as const) {
    it(`kubectl exec -i P -- cat echoes its input and exit codes propagate (${transport})`, () => {
      const cat = kl.kubectl(['exec', '-i', 'box', '--', 'cat'], { input: 'a\nb\n', env });
      assert.equal(cat.code, 0, cat.stderr);
      assert.equal(cat.stdout, 'a\nb\n');
      const three = kl.kubectl(['exec', 'box', '--', 'sh', '-c', 'exit 3'], { env });
      assert.equal(three.code, 3);
      assert.match(three.stderr, /command terminated with exit code 3/);
      const ok = kl.kubectl(['exec', 'box', '--', 'sh', '-c', 'echo out; echo err >&2'], { env });
      assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, 'out\n', 'err\n']);
    });
  }

  it('kubectl attach -it joins a running interactive pod: a typed command answers in both sessions', async () => {
    const first = tmux.start('att', kubectlLine(kl, ['run', 'att', '-it', '--image=busybox']));
    await first.waitForPrompt('the prompt of kubectl run att -it');
    const second = tmux.start('att-attach', kubectlLine(kl, ['attach', 'att', '-c', 'att', '-it']));
    await second.waitFor(/If you don't see a command prompt, try pressing enter\./);
    second.type('echo attached-$((6*7))');
    await second.waitFor(/^attached-42$/m, { what: 'the command output in the attaching session' });
    await first.waitFor(/^attached-42$/m, { what: 'the command output in the first session' });
    assert.equal((await kl.client.pods('default').get('att')).status?.phase, 'Running');
    second.kill();
    first.kill();
  });

  for (const [transport, env] of [
    ['WebSocket tunnel', {}],
    ['raw SPDY', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
  ] as const) {
    it(`kubectl port-forward pod/X and svc/http-go-svc carry sequential and parallel HTTP requests (${transport})`, async () => {
      const target = webPod(0);
      const podPort = await freePort();
      const pf = spawnKubectl(kl, ['port-forward', `pod/${target.name}`, `${podPort}:8080`], env);
      background.push(pf);
      await pf.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:${podPort} -> 8080`));
      for (let i = 0; i < 5; i++) assert.deepEqual(await httpGet('127.0.0.1', podPort), { code: 200, body: `${target.name}\n` });
      const parallel = await Promise.all(Array.from({ length: 10 }, () => httpGet('127.0.0.1', podPort)));
      assert.deepEqual(new Set(parallel.map((r) => `${r.code} ${r.body}`)), new Set([`200 ${target.name}\n`]));

      const svcPort = await freePort();
      const spf = spawnKubectl(kl, ['port-forward', 'svc/http-go-svc', `${svcPort}:80`], env);
      background.push(spf);
      await spf.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:${svcPort} -> 8080`));
      const seq: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await httpGet('127.0.0.1', svcPort);
        assert.equal(r.code, 200);
        seq.push(r.body);
      }
      const par = await Promise.all(Array.from({ length: 10 }, () => httpGet('127.0.0.1', svcPort)));
      const answered = new Set([...seq, ...par.map((r) => r.body)]);
      // port-forward to a Service picks one of its pods and stays with it.
      assert.equal(answered.size, 1, [...answered].join(','));
      assert.ok(
        web.some((p) => answered.has(`${p.name}\n`)),
        `answer ${[...answered].join(',')} is from a pod of the Service`,
      );
      assert.ok(par.every((r) => r.code === 200));
      assert.match(spf.output(), new RegExp(`Handling connection for ${svcPort}`));
      await pf.kill();
      await spf.kill();
    });
  }

  it('ends exec sessions when kubectl goes away: no exec’d process remains in the pod', async () => {
    const ws = spawnKubectl(kl, ['exec', 'box', '--', 'sleep', '7301']);
    const spdy = spawnKubectl(kl, ['exec', 'box', '--', 'sleep', '7302'], { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' });
    background.push(ws, spdy);
    const tty = tmux.start('exec-gone', kubectlLine(kl, ['exec', '-it', 'box', '--', 'sh']));
    await tty.waitForPrompt();
    tty.type('sleep 7303');
    await until(() => ['sleep 7301', 'sleep 7302', 'sleep 7303'].every((c) => psIn('box').includes(c)), { ms: 10_000, what: 'the three exec’d sleeps to run' });
    await ws.kill();
    await spdy.kill();
    tty.kill();
    await until(() => !/sleep 730[123]/.test(psIn('box')), { ms: 10_000, what: 'the exec’d processes to end' });
    assert.match(psIn('box'), /sleep 3600/, 'the container itself still runs');
  });

  it('ends port-forward connections when kubectl goes away, leaving other forwards alone', async () => {
    const target = webPod(1);
    const podSide = procNetAddress(target.ip, 8080);
    const established = (): number =>
      kl
        .k(['exec', 'box', '--', 'cat', '/proc/net/tcp'])
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f[1] === podSide && f[3] === '01').length;
    assert.equal(established(), 0, 'no connection to the pod before the test');
    const forwards: BackgroundKubectl[] = [];
    for (const env of [{}, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }] as Record<string, string>[]) {
      const port = await freePort();
      const pf = spawnKubectl(kl, ['port-forward', `pod/${target.name}`, `${port}:8080`], env);
      background.push(pf);
      forwards.push(pf);
      await pf.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:${port} -> 8080`));
      const sock = connect(port, '127.0.0.1');
      sockets.push(sock);
      await pf.waitFor(new RegExp(`Handling connection for ${port}`));
    }
    await until(() => established() === 2, { ms: 10_000, what: 'two forwarded connections to the pod' });
    const [wsForward, spdyForward] = forwards;
    assert.ok(wsForward && spdyForward);
    await wsForward.kill();
    await until(() => established() === 1, { ms: 10_000, what: 'the killed forward’s connection to close' });
    await spdyForward.kill();
    await until(() => established() === 0, { ms: 10_000, what: 'the second forward’s connection to close' });
  });

  it('kubectl run -it --rm bash: the pod is gone once its grace period has run out', async () => {
    assert.equal(await bashGone, undefined);
  });
});
