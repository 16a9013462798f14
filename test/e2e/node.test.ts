// [node] acceptance: pods are real processes on the node agents — the seed Deployment answering
// on its pod IPs, busybox fetching from another pod, logs (follow, previous, tail, timestamps),
// probes and CrashLoopBackOff, Service env vars (conformance), grace periods, and no process
// outliving `kubeloop down` or a SIGKILL, with pods back on their IPs after a restart.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Pod, Stored } from '../../src/api/index.js';
import { KUBELOOP_BIN, startKubeloop, tableRows, type Kubeloop } from './harness.js';
import { httpGet, spawnKubectl, until, type BackgroundKubectl } from './_streams_dns.js';
import { isReady } from './_workloads.js';

const NS = 'default';

// ---------------------------------------------------------------- processes, read from /proc

/** One process, identified by pid and start time (pids are reused). */
interface Proc {
  pid: number;
  start: string;
  argv: string[];
}

function stat(pid: number): { state: string; ppid: number; start: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0]!, ppid: Number(f[1]), start: f[19]! };
  } catch {
    return undefined;
  }
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

function procs(): { pid: number; state: string; ppid: number; start: string }[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      const st = stat(Number(d));
      return st && st.state !== 'Z' ? [{ pid: Number(d), ...st }] : [];
    });
}

const described = (pid: number, start: string): Proc => ({ pid, start, argv: (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean) });

function cwdOf(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}

/** The processes of some pods: `POD_IP=<its IP>` in their environment, or working in the pod's directory. */
function processesOf(pods: Stored<Pod>[]): Proc[] {
  const ips = pods.map((p) => `POD_IP=${p.status?.podIP ?? '-'}`);
  const dirs = pods.map((p) => `/pods/${p.metadata.uid}/`);
  return procs()
    .filter((p) => (read(`/proc/${p.pid}/environ`) ?? '').split('\0').some((e) => ips.includes(e)) || dirs.some((d) => cwdOf(p.pid).includes(d)))
    .map((p) => described(p.pid, p.start));
}

/** Every process kubeloop started: its descendants (sandbox holders included) and anything working under its data dir. */
function clusterProcesses(kl: Kubeloop): Proc[] {
  const all = procs();
  const parent = new Map(all.map((p) => [p.pid, p.ppid]));
  const descends = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
      p = parent.get(p);
      if (p === kl.pid) return true;
    }
    return false;
  };
  return all.filter((p) => p.pid !== kl.pid && (descends(p.pid) || cwdOf(p.pid).startsWith(`${kl.dataDir}/`))).map((p) => described(p.pid, p.start));
}

/** Still the same process and not a zombie. */
function alive(p: Proc): boolean {
  const st = stat(p.pid);
  return st !== undefined && st.start === p.start && st.state !== 'Z';
}

/** The hello servers (the seed pods' container processes) with `POD_IP=<ip>`. */
function helloServers(ip: string): Proc[] {
  return procs()
    .map((p) => described(p.pid, p.start))
    .filter((p) => /(^|\/)node$/.test(p.argv[0] ?? '') && p.argv.some((a) => a.endsWith('/hello.js')))
    .filter((p) => (read(`/proc/${p.pid}/environ`) ?? '').split('\0').includes(`POD_IP=${ip}`));
}

// ---------------------------------------------------------------- pods

async function waitPod(kl: Kubeloop, name: string, what: string, test: (p: Stored<Pod>) => boolean, timeoutMs = 20_000): Promise<Stored<Pod>> {
  return until(
    async () => {
      const p = await kl.client.pods(NS).get(name);
      return test(p) ? p : undefined;
    },
    { what: `pod ${name}: ${what}`, ms: timeoutMs },
  );
}

function busybox(name: string, script: string, spec: Partial<Pod['spec']> = {}, container: Partial<Pod['spec']['containers'][number]> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: { containers: [{ name: 'c', image: 'busybox', args: ['sh', '-c', script], ...container }], ...spec },
  };
}

/** `kubectl get pod NAME` as READY, STATUS, RESTARTS. */
function podRow(kl: Kubeloop, name: string): { ready: string; status: string; restarts: string } {
  const row = tableRows(kl.k(['get', 'pod', name]))[1] ?? [];
  return { ready: row[1] ?? '', status: row[2] ?? '', restarts: row[3] ?? '' };
}

/** Runs a program to its end without blocking this process; resolves with its exit code and output (stdout and stderr). */
function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code: code ?? -1, out })));
}

/** The exit code of a background kubectl, once it exits. */
const exitCode = (k: BackgroundKubectl): Promise<number> =>
  k.child.exitCode !== null ? Promise.resolve(k.child.exitCode) : new Promise((resolve) => k.child.once('exit', (code) => resolve(code ?? -1)));

describe('node: pods run as processes on the node agents', () => {
  let kl: Kubeloop;
  let seed: Stored<Pod>[] = [];
  before(async () => {
    kl = await startKubeloop({ args: ['--nodes', '2'] });
  });
  after(async () => {
    await kl?.stop();
  });

  it('the seed: three Running pods with distinct IPs and a NODE, each answering its own name on POD_IP:8080', async () => {
    kl.k(['create', 'deployment', 'http-go', '--image=gasbugs/http-go', '--replicas=3']);
    seed = await until(
      async () => {
        const pods = (await kl.client.pods(NS).list({ labelSelector: 'app=http-go' })).items;
        return pods.length === 3 && pods.every(isReady) ? pods : undefined;
      },
      { what: 'three ready http-go pods' },
    );
    const rows = tableRows(kl.k(['get', 'pods', '-o', 'wide', '-l', 'app=http-go']));
    assert.deepEqual(rows[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const pods = rows.slice(1);
    assert.equal(pods.length, 3);
    for (const r of pods) {
      assert.deepEqual([r[1], r[2], r[3]], ['1/1', 'Running', '0']);
      assert.match(r[5]!, /^127\.\d+\.\d+\.\d+$/);
      assert.match(r[6]!, /^node[01]$/);
    }
    assert.equal(new Set(pods.map((r) => r[5])).size, 3, 'distinct pod IPs');
    assert.equal(new Set(pods.map((r) => r[6])).size, 2, 'the scheduler spreads three pods over both nodes');
    for (const r of pods) {
      // Ready without a readiness probe means started, maybe not listening yet.
      const answer = await until(async () => (await httpGet(r[5]!, 8080)).body.trim(), { what: `an answer from ${r[5]}:8080` });
      assert.equal(answer, r[0]);
    }
  });

  it('a busybox pod fetches another pod\'s answer; kubectl logs shows it and the pod ends Completed', async () => {
    const target = seed[0]!;
    assert.match(kl.k(['run', 'bb', '--restart=Never', '--image=busybox', '--', 'wget', '-O-', '-q', `${target.status!.podIP}:8080`]), /pod\/bb created/);
    await waitPod(kl, 'bb', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    assert.equal(kl.k(['logs', 'bb']).trim(), target.metadata.name);
    assert.equal(podRow(kl, 'bb').status, 'Completed');
  });

  it('kubectl logs, logs -f until the pod ends, --tail and --timestamps', async () => {
    // Two lines, then a wait for a file the test creates through kubectl exec, then three more.
    const script = 'echo line 1; echo line 2; while [ ! -f go ]; do sleep 0.1; done; echo line 3; echo line 4; echo line 5';
    await kl.client.pods(NS).create(busybox('lines', script, { restartPolicy: 'Never' }));
    await waitPod(kl, 'lines', 'Running', (p) => p.status?.phase === 'Running');
    const follow = spawnKubectl(kl, ['logs', '-f', 'lines']);
    await follow.waitFor(/line 2\n/);
    assert.equal(follow.output(), 'line 1\nline 2\n', 'follow streams while the pod runs');
    const gateOpened = Date.now();
    kl.k(['exec', 'lines', '--', 'touch', 'go']);
    const code = await exitCode(follow);
    assert.equal(code, 0);
    assert.equal(follow.output(), 'line 1\nline 2\nline 3\nline 4\nline 5\n');
    const ended = await kl.client.pods(NS).get('lines');
    assert.equal(ended.status?.phase, 'Succeeded', 'the stream ended with the pod');
    assert.equal(kl.k(['logs', 'lines']), 'line 1\nline 2\nline 3\nline 4\nline 5\n');
    assert.equal(kl.k(['logs', 'lines', '--tail=2']), 'line 4\nline 5\n');
    const stamped = kl.k(['logs', 'lines', '--timestamps']).trimEnd().split('\n');
    assert.equal(stamped.length, 5);
    const times = stamped.map((l, i) => {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z) line (\d)$/.exec(l);
      assert.ok(m, `a timestamped line: ${l}`);
      assert.equal(m[2], String(i + 1));
      return Date.parse(m[1]!);
    });
    assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]!), 'timestamps in order');
    assert.ok(times[1]! < gateOpened && times[2]! >= gateOpened - 50, 'each line stamped when it was written');
    assert.equal(kl.k(['logs', 'lines', '--tail=1', '--timestamps']), `${stamped[4]}\n`);
  });

  it('a failing liveness probe restarts the container: RESTARTS increments and --previous shows the earlier run', async () => {
    // The first run stops being healthy after 2 s; later runs stay healthy.
    const script = 'n=$(($(cat count 2>/dev/null || echo 0)+1)); echo $n > count; echo "run $n"; touch healthy; if [ $n = 1 ]; then sleep 2; rm healthy; fi; exec sleep 600';
    await kl.client.pods(NS).create(
      busybox('live', script, { terminationGracePeriodSeconds: 1 }, { livenessProbe: { exec: { command: ['cat', 'healthy'] }, periodSeconds: 1, failureThreshold: 1 } }),
    );
    await waitPod(kl, 'live', 'restarted once and running again', (p) => p.status?.containerStatuses?.[0]?.restartCount === 1 && p.status.containerStatuses[0].state?.running !== undefined);
    assert.deepEqual(podRow(kl, 'live').restarts.split(' ')[0], '1');
    assert.equal(kl.k(['logs', 'live']), 'run 2\n');
    assert.equal(kl.k(['logs', 'live', '--previous']), 'run 1\n');
    const described = kl.k(['describe', 'pod', 'live']);
    assert.match(described, /Warning\s+Unhealthy\s+.+\s+kubelet\s+Liveness probe failed: cat: can't open 'healthy': No such file or directory/);
    assert.match(described, /Normal\s+Killing\s+.+\s+kubelet\s+Container c failed liveness probe, will be restarted/);
  });

  it('a failing readiness probe flips READY to 0/1 without a restart', async () => {
    // Ready while the file `ready` exists; the test removes it through kubectl exec.
    await kl.client.pods(NS).create(busybox('unready', 'touch ready; exec sleep 600', { terminationGracePeriodSeconds: 1 }, { readinessProbe: { exec: { command: ['cat', 'ready'] }, periodSeconds: 1, failureThreshold: 1 } }));
    await waitPod(kl, 'unready', 'Ready', isReady);
    assert.deepEqual(podRow(kl, 'unready'), { ready: '1/1', status: 'Running', restarts: '0' });
    kl.k(['exec', 'unready', '--', 'rm', 'ready']);
    await waitPod(kl, 'unready', 'not Ready', (p) => !isReady(p));
    assert.deepEqual(podRow(kl, 'unready'), { ready: '0/1', status: 'Running', restarts: '0' });
    assert.match(kl.k(['describe', 'pod', 'unready']), /Warning\s+Unhealthy\s+.+\s+kubelet\s+Readiness probe failed: cat: can't open 'ready': No such file or directory/);
  });

  it('a crashing container restarts once, then waits in CrashLoopBackOff', async () => {
    const created = await kl.client.pods(NS).create(busybox('crash', 'echo crashing; exit 3', { terminationGracePeriodSeconds: 1 }));
    const p = await waitPod(kl, 'crash', 'CrashLoopBackOff', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' && x.status.containerStatuses[0].restartCount >= 1);
    const cs = p.status!.containerStatuses![0]!;
    assert.equal(cs.lastState?.terminated?.exitCode, 3);
    assert.equal(cs.lastState?.terminated?.reason, 'Error');
    assert.match(cs.state!.waiting!.message!, /^back-off 10s restarting failed container=c pod=crash_default\(/);
    const row = podRow(kl, 'crash');
    assert.equal(row.ready, '0/1');
    assert.equal(row.status, 'CrashLoopBackOff');
    assert.match(row.restarts, /^1 \(\d+s ago\)$/);
    assert.equal(kl.k(['logs', 'crash']), 'crashing\n');
    assert.match(kl.k(['describe', 'pod', 'crash']), new RegExp(`Warning\\s+BackOff\\s+.+\\s+kubelet\\s+Back-off restarting failed container c in pod crash_default\\(${created.metadata.uid}\\)`));
  });

  it('[sig-node] Pods should contain environment variables for services', async () => {
    kl.k(['create', 'service', 'clusterip', 'fooservice', '--tcp=8765:8080']);
    const ip = (await kl.client.services(NS).get('fooservice')).spec.clusterIP!;
    await kl.client.pods(NS).create(busybox('client-envvars', 'env', { restartPolicy: 'Never' }));
    await waitPod(kl, 'client-envvars', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    const env = kl.k(['logs', 'client-envvars']).split('\n');
    for (const line of [
      `FOOSERVICE_SERVICE_HOST=${ip}`,
      'FOOSERVICE_SERVICE_PORT=8765',
      `FOOSERVICE_PORT=tcp://${ip}:8765`,
      'FOOSERVICE_PORT_8765_TCP_PORT=8765',
      'FOOSERVICE_PORT_8765_TCP_PROTO=tcp',
      `FOOSERVICE_PORT_8765_TCP=tcp://${ip}:8765`,
      `FOOSERVICE_PORT_8765_TCP_ADDR=${ip}`,
    ]) {
      assert.ok(env.includes(line), `${line} in:\n${env.filter((l) => l.startsWith('FOO')).join('\n')}`);
    }
    assert.ok(env.some((l) => l.startsWith('KUBERNETES_SERVICE_HOST=')));
  });

  it('deleting a pod honours its grace period: a process ignoring SIGTERM takes it, one exiting on SIGTERM goes at once', async () => {
    await kl.client.pods(NS).create(busybox('stubborn', 'trap "" TERM; while true; do sleep 1; done', { terminationGracePeriodSeconds: 3 }));
    await kl.client.pods(NS).create(busybox('polite', 'trap "exit 0" TERM; while true; do sleep 0.2; done', { terminationGracePeriodSeconds: 30 }));
    const stubborn = await waitPod(kl, 'stubborn', 'Ready', isReady);
    const polite = await waitPod(kl, 'polite', 'Ready', isReady);
    const stubbornProcs = processesOf([stubborn]);
    const politeProcs = processesOf([polite]);
    assert.ok(stubbornProcs.length > 0 && politeProcs.length > 0, 'the pods\' processes are found');

    let t = Date.now();
    kl.k(['delete', 'pod', 'stubborn']);
    const stubbornMs = Date.now() - t;
    assert.ok(stubbornMs >= 2800 && stubbornMs < 6000, `the stubborn pod took ${stubbornMs} ms (grace period 3 s)`);
    assert.deepEqual(stubbornProcs.filter(alive), [], 'its processes are gone');

    t = Date.now();
    kl.k(['delete', 'pod', 'polite']);
    const politeMs = Date.now() - t;
    assert.ok(politeMs < 3000, `the polite pod took ${politeMs} ms (it exits on SIGTERM; grace period 30 s)`);
    assert.deepEqual(politeProcs.filter(alive), [], 'its processes are gone');
  });
});

describe('node: no pod process outlives kubeloop, and a restart brings the pods back', () => {
  let kl: Kubeloop;
  let ips: Map<string, string>;
  let stubbornIP = '';
  const args = ['--nodes', '2'];
  let dirs: string[] = [];
  before(async () => {
    kl = await startKubeloop({ args });
    dirs = [kl.dataDir, kl.home];
  });
  after(async () => {
    // Restarted clusters reuse the first one's directories, so they are removed here.
    await kl?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** The seed pods' name → IP, once all three are Ready after `restarts` restarts of their container. */
  const seedIPs = async (k: Kubeloop, restarts: number) =>
    until(
      async () => {
        const pods = (await k.client.pods(NS).list({ labelSelector: 'app=http-go' })).items;
        const done = pods.length === 3 && pods.every((p) => isReady(p) && p.status?.containerStatuses?.[0]?.restartCount === restarts);
        return done ? new Map(pods.map((p) => [p.metadata.name, p.status!.podIP!])) : undefined;
      },
      { what: `three ready http-go pods, restarted ${restarts} times`, ms: 30_000 },
    );

  /** Every seed pod answers its name on its IP, and is served by exactly one hello process. */
  const oneProcessEach = async () => {
    for (const [name, ip] of ips) {
      // Ready without a readiness probe means started, not yet listening: wait for the answer.
      const answer = await until(async () => (await httpGet(ip, 8080)).body.trim(), { what: `${name} answering on ${ip}:8080` });
      assert.equal(answer, name);
      const servers = helloServers(ip);
      assert.equal(servers.length, 1, `${name} (${ip}) runs ${servers.length} hello processes: ${servers.map((s) => s.pid).join(', ')}`);
    }
  };

  /** The processes of the cluster's pods, found through the pods (each has some) and through kubeloop. */
  const findProcesses = async (): Promise<Proc[]> => {
    await waitPod(kl, 'stubborn', 'Ready', isReady);
    const pods = (await kl.client.pods(NS).list()).items;
    assert.equal(pods.length, 4);
    const found = new Map<number, Proc>();
    for (const pod of pods) {
      const own = processesOf([pod]);
      assert.ok(own.length > 0, `processes of ${pod.metadata.name} found`);
      for (const p of own) found.set(p.pid, p);
    }
    for (const p of clusterProcesses(kl)) found.set(p.pid, p);
    return [...found.values()];
  };

  /** Starts kubeloop again on the same data dir: the pods come back (their container restarted once more) on their IPs. */
  const restart = async (restarts: number) => {
    kl = await startKubeloop({ dataDir: kl.dataDir, home: kl.home, ranges: kl.ranges, args });
    const again = await seedIPs(kl, restarts);
    assert.deepEqual([...again.entries()].sort(), [...ips.entries()].sort(), 'the same pods on the same IPs');
    await oneProcessEach();
    const stubborn = await waitPod(kl, 'stubborn', 'running again', (p) => isReady(p) && p.status?.containerStatuses?.[0]?.restartCount === restarts);
    assert.equal(stubborn.status?.podIP, stubbornIP);
    assert.equal(processesOf([stubborn]).filter((p) => p.argv[0] === 'sh').length, 1, 'one shell for the stubborn container');
  };

  it('kubeloop down leaves no pod process, not even one ignoring SIGTERM', async () => {
    kl.k(['create', 'deployment', 'http-go', '--image=gasbugs/http-go', '--replicas=3']);
    await kl.client.pods(NS).create(busybox('stubborn', 'trap "" TERM; while true; do sleep 1; done', { terminationGracePeriodSeconds: 30 }));
    ips = await seedIPs(kl, 0);
    stubbornIP = (await waitPod(kl, 'stubborn', 'Ready', isReady)).status!.podIP!;
    await oneProcessEach();
    const procs = await findProcesses();
    // Not spawnSync: this process must stay free to reap kubeloop, or `down` waits on a zombie.
    const down = await run(process.execPath, [KUBELOOP_BIN, 'down', '--data-dir', kl.dataDir], { HOME: kl.home });
    assert.equal(down.code, 0, down.out);
    assert.match(down.out, new RegExp(`kubeloop stopped \\(pid ${kl.pid}\\)`));
    await kl.stop({ keepData: true });
    await until(() => procs.filter(alive).length === 0, { what: 'every pod process gone', ms: 5000 }).catch(() => undefined);
    assert.deepEqual(procs.filter(alive).map((p) => p.argv.join(' ')), []);
  });

  it('a restart on the same data dir brings the running pods back on their IPs, one process per container', async () => {
    await restart(1);
  });

  it('SIGKILL of kubeloop leaves no pod process', async () => {
    const procs = await findProcesses();
    await kl.kill();
    await until(() => procs.filter(alive).length === 0, { what: 'every pod process gone', ms: 5000 }).catch(() => undefined);
    assert.deepEqual(procs.filter(alive).map((p) => p.argv.join(' ')), []);
  });

  it('a restart after SIGKILL brings the running pods back on their IPs, one process per container', async () => {
    await restart(2);
  });
});
