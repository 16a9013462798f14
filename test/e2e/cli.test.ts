// The CLI contract of DESIGN.md: default data dir with the kubeloop context merged into
// ~/.kube/config, one cluster per data dir, status and down.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { KUBELOOP_BIN, testRanges } from './harness.js';

describe('kubeloop CLI', () => {
  const home = mkdtempSync(join(tmpdir(), 'kubeloop-cli-home-'));
  const ranges = testRanges();
  const env = { ...process.env, HOME: home };
  const rangeArgs = ['--service-cidr', ranges.serviceCIDR, '--pod-cidr', ranges.podCIDR, '--lb-cidr', ranges.lbCIDR, '--dns-upstream', '127.255.255.254:53'];
  let child: ReturnType<typeof spawn> | undefined;
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  const kubeloop = (args: string[]) => spawnSync(process.execPath, [KUBELOOP_BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });

  it('without --data-dir keeps state in ~/.kubeloop and merges a selected kubeloop context into ~/.kube/config', async () => {
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), 'apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: other\n  context:\n    cluster: other\n    user: other\nusers:\n- name: other\n  user: {}\ncurrent-context: other\n');
    child = spawn(process.execPath, [KUBELOOP_BIN, 'up', '--port', '0', ...rangeArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!/ready/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    assert.match(out, /kubeloop ready in [\d.]+s: API server https:\/\/127\.0\.0\.1:\d+/);
    assert.ok(existsSync(join(home, '.kubeloop', 'state.db')));
    const cfg = parse(readFileSync(join(home, '.kube', 'config'), 'utf8')) as { 'current-context': string; contexts: { name: string }[] };
    assert.equal(cfg['current-context'], 'kubeloop');
    assert.deepEqual(cfg.contexts.map((c) => c.name).sort(), ['kubeloop', 'other'], 'other contexts are kept');
    const r = spawnSync('kubectl', ['get', 'ns', 'default', '-o', 'name'], { env, encoding: 'utf8' });
    assert.equal(r.stdout.trim(), 'namespace/default', r.stderr);
  });

  it('refuses a second up on a data dir in use', () => {
    const r = kubeloop(['up', '--port', '0', ...rangeArgs]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Cannot start: kubeloop is already running on .*\.kubeloop \(pid \d+\)/);
  });

  it('status reports the running cluster and its nodes; down stops it; status then says not running', () => {
    const s = kubeloop(['status']);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, /kubeloop: running \(pid \d+/);
    assert.match(s.stdout, /node0 {2}127\.\d+\.0\.1/);
    const d = kubeloop(['down']);
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /kubeloop stopped \(pid \d+\)/);
    const after = kubeloop(['status']);
    assert.equal(after.status, 3);
    assert.match(after.stdout, /not running/);
  });
});
