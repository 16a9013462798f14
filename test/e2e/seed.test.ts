// The seed story of the project brief, end to end on `kubeloop up` with the real kubectl: create
// and expose http-go, read it back as a real cluster prints it, pin a client with
// `kubectl edit` (sessionAffinity ClientIP), fetch from an interactive busybox pod
// (`kubectl run -it --rm`, driven through tmux), reach a redis backend by Service name across a
// rollout that changes every backend pod IP, and see a Service whose selector matches nothing
// refuse at once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod, ReplicaSet } from '../../src/api/index.js';
import { startKubeloop, tableRows, type Kubeloop } from './harness.js';
import { CURL_REFUSED, curl, curlMany, distinct, firstAnswer, nodesOf, service, shIn, unusedTestRanges, until, waitReady, waitServing, waitSlices, wgetFromPod } from './_traffic.js';

/** What kubectl's tabwriter (padding 3, last column unpadded) prints for these cells. */
function tabwritten(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 3))).join('')).join('\n') + '\n';
}

/** Upstream's rand.SafeEncodeString alphabet (pod-template-hash, generated name suffixes). */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

/**
 * A tmux server of our own (its socket in our scratch dir), so killing it never touches anyone
 * else's sessions and nothing is left behind.
 */
class Tmux {
  constructor(readonly socket: string) {}
  private run(args: string[]): string {
    const r = spawnSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }
  start(session: string, command: string): void {
    this.run(['new-session', '-d', '-s', session, '-x', '120', '-y', '30', command]);
  }
  type(session: string, text: string): void {
    this.run(['send-keys', '-t', session, '-l', text]);
    this.run(['send-keys', '-t', session, 'Enter']);
  }
  /** The pane with its history, trailing blank lines dropped. */
  screen(session: string): string {
    return this.run(['capture-pane', '-p', '-J', '-S', '-', '-t', session]).trimEnd();
  }
  killServer(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server'], { encoding: 'utf8', timeout: 10_000 });
  }
}

describe('seed story: http-go behind http-go-svc, ClientIP, busybox, redis by name', () => {
  let kl: Kubeloop;
  let scratch: string;
  let tmux: Tmux | undefined;
  let pods: Pod[] = [];
  let clusterIP = '';
  /** When kubectl run --rm deleted the bash pod (its disappearance is checked last). */
  let bashDeleted = false;

  before(async () => {
    kl = await startKubeloop({ ranges: unusedTestRanges() });
    scratch = mkdtempSync(join(tmpdir(), 'kubeloop-seed-'));
    tmux = new Tmux(join(scratch, 'tmux.sock'));
  });
  after(async () => {
    tmux?.killServer();
    await kl?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('kubectl create deployment http-go --replicas=3 and expose it as http-go-svc port 80 → 8080', async () => {
    assert.equal(kl.k(['create', 'deployment', 'http-go', '--image=gasbugs/http-go', '--replicas=3']), 'deployment.apps/http-go created\n');
    assert.equal(kl.k(['expose', 'deployment', 'http-go', '--port=80', '--target-port=8080', '--name=http-go-svc']), 'service/http-go-svc exposed\n');
    pods = await waitServing(kl, { selector: 'app=http-go', count: 3, port: 8080 });
    await waitSlices(kl, 'http-go-svc', (e) => e.filter((x) => x.ready).length === 3);
    clusterIP = (await service(kl, 'http-go-svc')).spec.clusterIP!;
    assert.ok(clusterIP.startsWith(kl.ranges.serviceCIDR.replace(/0\.0\/16$/, '')), `${clusterIP} in ${kl.ranges.serviceCIDR}`);
  });

  it('kubectl get pods -o wide prints the upstream columns: 3 Running pods with their IPs on node0', async () => {
    const out = kl.k(['get', 'pods', '-o', 'wide']);
    const rows = tableRows(out);
    assert.deepEqual(rows[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.equal(out, tabwritten(rows), 'tabwriter layout');
    const [node0] = await nodesOf(kl);
    const byName = new Map(pods.map((p) => [p.metadata.name, p]));
    assert.equal(rows.length, 4);
    for (const r of rows.slice(1)) {
      assert.match(r[0]!, new RegExp(`^http-go-${SAFE}{10}-${SAFE}{5}$`));
      const pod = byName.get(r[0]!);
      assert.ok(pod, `${r[0]} is one of the deployment's pods`);
      assert.deepEqual(r.slice(1, 4), ['1/1', 'Running', '0']);
      assert.match(r[4]!, /^\d+s$/);
      assert.equal(r[5], pod.status?.podIP);
      assert.ok(r[5]!.startsWith(node0!.ip.replace(/\.1$/, '.')), `${r[5]} in node0's pod /24`);
      assert.deepEqual(r.slice(6), ['node0', '<none>', '<none>']);
    }
  });

  it('kubectl get pod --show-labels prints app=http-go,pod-template-hash=<the ReplicaSet hash>', async () => {
    const out = kl.k(['get', 'pod', '--show-labels']);
    const rows = tableRows(out);
    assert.deepEqual(rows[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
    assert.equal(out, tabwritten(rows), 'tabwriter layout');
    const rs: ReplicaSet[] = (await kl.client.replicaSets('default').list({ labelSelector: 'app=http-go' })).items;
    assert.equal(rs.length, 1);
    const hash = rs[0]!.metadata.labels?.['pod-template-hash'];
    assert.match(hash ?? '', new RegExp(`^${SAFE}{10}$`));
    assert.equal(rs[0]!.metadata.name, `http-go-${hash}`);
    assert.deepEqual(
      rows.slice(1).map((r) => [r[0]!.startsWith(`http-go-${hash}-`), r[5]]),
      [1, 2, 3].map(() => [true, `app=http-go,pod-template-hash=${hash}`]),
    );
  });

  it('kubectl describe svc http-go-svc lays out the Service with Endpoints listing the 3 pod ip:8080', () => {
    const lines = kl.k(['describe', 'svc', 'http-go-svc']).trimEnd().split('\n');
    const endpointsLine = lines.find((l) => l.startsWith('Endpoints:')) ?? '';
    const listed = endpointsLine.replace(/^Endpoints: +/, '').split(',').sort();
    assert.deepEqual(listed, pods.map((p) => `${p.status?.podIP}:8080`).sort());
    assert.deepEqual(lines, [
      'Name:                     http-go-svc',
      'Namespace:                default',
      'Labels:                   app=http-go',
      'Annotations:              <none>',
      'Selector:                 app=http-go',
      'Type:                     ClusterIP',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      `IP:                       ${clusterIP}`,
      `IPs:                      ${clusterIP}`,
      'Port:                     <unset>  80/TCP',
      'TargetPort:               8080/TCP',
      `Endpoints:                ${endpointsLine.replace(/^Endpoints: +/, '')}`,
      'Session Affinity:         None',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
    ]);
  });

  it('spreads requests to the ClusterIP over the pods before the edit', async () => {
    await firstAnswer(`http://${clusterIP}/`);
    const answers = distinct(await curlMany(`http://${clusterIP}/`, 30));
    assert.ok(answers.length >= 2, `30 requests reached only ${answers.join(', ')}`);
    assert.ok(answers.every((a) => pods.some((p) => p.metadata.name === a)));
  });

  it('kubectl edit svc http-go-svc to sessionAffinity ClientIP makes one client stick to one pod', async () => {
    const editor = join(scratch, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/sessionAffinity: None/sessionAffinity: ClientIP/" "$1"\n');
    chmodSync(editor, 0o755);
    const r = kl.kubectl(['edit', 'svc', 'http-go-svc'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'service/http-go-svc edited\n');
    assert.match(kl.k(['describe', 'svc', 'http-go-svc']), /^Session Affinity: {9}ClientIP$/m);
    const url = `http://${clusterIP}/`;
    await until('the host sticks to one pod', async () => distinct(await curlMany(url, 10)).length === 1, { timeoutMs: 5000 });
    assert.equal(distinct(await curlMany(url, 30)).length, 1);
  });

  it('kubectl run -it --rm --image=busybox bash: the prompt appears, wget -O- -q <ClusterIP> prints a pod name, exit ends kubectl with 0 and deletes the pod', async () => {
    const session = 'run';
    const t = tmux;
    if (!t) throw new Error('no tmux server');
    t.start(session, `HOME=${kl.home} KUBECONFIG=${kl.kubeconfig} kubectl run -it --rm --image=busybox bash; echo EXIT=$?; sleep 30`);
    // busybox's root prompt ends in " #"; what precedes it is the working directory, which is the
    // container's directory on the host here (a real cluster shows "/ #").
    await until('the busybox prompt', () => / #$/.test(t.screen(session)), { timeoutMs: 30_000 });
    t.type(session, `wget -O- -q ${clusterIP}`);
    const names = pods.map((p) => p.metadata.name);
    // The output is what the shell printed between the command line (which may wrap) and the next prompt.
    const output = await until('wget to finish', () => {
      const lines = t.screen(session).split('\n');
      const cmd = lines.findIndex((l) => l.includes('wget -O- -q '));
      const prompt = lines.findIndex((l, i) => i > cmd && / #$/.test(l));
      return cmd >= 0 && prompt > cmd ? lines.slice(cmd + 1, prompt).map((l) => l.trim()) : undefined;
    }).catch((e: Error) => {
      throw new Error(`${e.message}; the screen:\n${t.screen(session)}`);
    });
    const answered = output.filter((l) => names.includes(l));
    assert.equal(answered.length, 1, `wget printed ${JSON.stringify(output)}`);
    assert.ok(!output.some((l) => l.startsWith('wget:')), `wget failed: ${JSON.stringify(output)}`);
    // A real pod of the cluster, with a terminal.
    const bash = await kl.client.pods('default').get('bash');
    assert.equal(bash.spec.containers[0]?.image, 'busybox');
    assert.equal(bash.spec.containers[0]?.tty, true);

    t.type(session, 'exit');
    const screen = await until('kubectl to exit', () => {
      const s = t.screen(session);
      return /EXIT=\d+/.test(s) ? s : undefined;
    });
    assert.match(screen, /^Session ended, resume using 'kubectl attach bash -c bash -i -t' command when the pod is running$/m);
    assert.match(screen, /^pod "bash" deleted$/m);
    assert.match(screen, /^EXIT=0$/m);
    bashDeleted = true;
  });

  it('a frontend reaches the redis backend by Service name across a rollout that changes every backend pod IP, without being reconfigured or restarted', async () => {
    assert.equal(kl.k(['create', 'deployment', 'redis', '--image=redis', '--replicas=2']), 'deployment.apps/redis created\n');
    assert.equal(kl.k(['expose', 'deployment', 'redis', '--port=6379']), 'service/redis exposed\n');
    const probe = 'while true; do r=$(echo PING | nc -w 2 redis 6379 | tr -d "\\r"); echo "${r:-FAIL}"; sleep 0.2; done';
    assert.equal(kl.k(['run', 'frontend', '--image=busybox', '--', 'sh', '-c', probe]), 'pod/frontend created\n');
    const oldPods = await waitServing(kl, { selector: 'app=redis', count: 2, port: 6379 });
    const frontend = await waitReady(kl, 'frontend');
    const logLines = () => kl.k(['logs', 'frontend']).trimEnd().split('\n');
    await until('the frontend gets PONG', () => logLines().includes('+PONG'), { timeoutMs: 20_000 });

    assert.equal(kl.k(['rollout', 'restart', 'deployment/redis']), 'deployment.apps/redis restarted\n');
    const status = kl.kubectl(['rollout', 'status', 'deployment/redis', '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /deployment "redis" successfully rolled out/);
    const oldNames = new Set(oldPods.map((p) => p.metadata.name));
    await until('the old redis pods are gone', async () => (await kl.client.pods('default').list({ labelSelector: 'app=redis' })).items.every((p) => !oldNames.has(p.metadata.name)), { timeoutMs: 30_000 });
    const newPods = await waitServing(kl, { selector: 'app=redis', count: 2, port: 6379 });
    const oldIPs = oldPods.map((p) => p.status?.podIP);
    const newIPs = newPods.map((p) => p.status?.podIP);
    for (const ip of newIPs) assert.ok(!oldIPs.includes(ip), `backend IP ${ip} was also an old one (${oldIPs.join(', ')})`);
    await waitSlices(kl, 'redis', (e) => e.length === 2 && e.every((x) => x.ready && newIPs.includes(x.ip)));

    const mark = logLines().length;
    const fresh = await until('5 answers after the rollout', () => {
      const l = logLines().slice(mark);
      return l.length >= 5 ? l : undefined;
    });
    assert.deepEqual(distinct(fresh), ['+PONG'], `answers after the rollout: ${fresh.join(' ')}`);
    const now = await kl.client.pods('default').get('frontend');
    assert.equal(now.metadata.uid, frontend.metadata.uid, 'same frontend pod');
    assert.equal(now.status?.containerStatuses?.[0]?.restartCount, 0, 'the frontend was not restarted');
    assert.deepEqual(now.spec.containers[0]?.args, frontend.spec.containers[0]?.args);
    // The frontend pod also still reaches http-go by name.
    assert.equal(distinct(wgetFromPod(kl, 'frontend', 'http://http-go-svc/', 3)).length, 1);
  });

  it('a Service whose selector matches nothing has no endpoints and refuses connections at once', async () => {
    assert.equal(kl.k(['create', 'service', 'clusterip', 'nothing', '--tcp=80:8080']), 'service/nothing created\n');
    await until('the placeholder slice', async () => (await kl.client.endpointSlices('default').list({ labelSelector: 'kubernetes.io/service-name=nothing' })).items.length === 1);
    const ip = (await service(kl, 'nothing')).spec.clusterIP!;
    assert.match(kl.k(['describe', 'svc', 'nothing']), /^Endpoints: *\nSession Affinity: {9}None$/m);
    assert.deepEqual(tableRows(kl.k(['get', 'endpoints', 'nothing'])).map((r) => r.slice(0, 2)), [['NAME', 'ENDPOINTS'], ['nothing', '<none>']]);
    const host = await curl(`http://${ip}/`);
    assert.equal(host.code, CURL_REFUSED, host.stderr);
    assert.ok(host.ms < 800, `refused after ${host.ms} ms`);
    const started = Date.now();
    const fromPod = shIn(kl, 'frontend', 'wget -O- -q http://nothing/');
    assert.notEqual(fromPod.code, 0);
    assert.match(fromPod.stderr, /Connection refused/);
    assert.ok(Date.now() - started < 2000, `a pod waited ${Date.now() - started} ms`);
  });

  it('the bash pod of kubectl run --rm disappears', async () => {
    assert.ok(bashDeleted, 'kubectl run --rm reported the deletion');
    // The restarted sh is PID 1 and ignores SIGTERM, so the pod ends at its 30 s grace period,
    // as on a real cluster.
    await until('pod bash gone', async () => (await kl.raw('GET', '/api/v1/namespaces/default/pods/bash')).code === 404, { timeoutMs: 45_000, intervalMs: 250 });
    assert.equal(kl.kubectl(['get', 'pod', 'bash']).stderr.trim(), 'Error from server (NotFound): pods "bash" not found');
  });
});


