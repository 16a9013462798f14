// The real kubectl 1.32 against the real API server (in-process, temp data dir, port 0) serving
// these OpenAPI routes and server-side apply: the commands that fetch /openapi/v3 before writing
// (apply, apply --server-side, create -f, replace -f, edit, explain) with kubectl's default
// --validate=strict. kubectl runs as a child process; everything is stopped in `after`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { allResourceTypes, type Service } from '../../api/index.js';
import { startApiServer, type RunningApiServer } from '../index.js';
import { serverSideApply } from '../apply/index.js';
import { openapiRoutes } from './index.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** shared/ sits beside the repository; this file runs from dist/src/apiserver/openapi/. */
const SEED = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/reference/seed-service.yaml');
/** Tests that pass once server.ts/registry.ts call validateBody/validatePatch and recordUpdate (README, "Wiring"); drop the todo then. */

describe('kubectl apply, create -f, replace -f and edit against served OpenAPI v3', { timeout: 180_000 }, () => {
  let dataDir: string;
  let home: string;
  let kubeconfig: string;
  let api: RunningApiServer;
  const children = new Set<ChildProcess>();

  const kubectl = (args: string[], o: { env?: Record<string, string>; input?: string } = {}): Promise<Run> =>
    new Promise((resolveRun, reject) => {
      const child = spawn('kubectl', args, {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: kubeconfig, ...(o.env ?? {}) },
        stdio: ['pipe', 'pipe', 'pipe'],
        cwd: home,
      });
      children.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`kubectl ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        children.delete(child);
        resolveRun({ code: code ?? -1, stdout, stderr });
      });
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(o.input ?? '');
    });

  const ok = async (args: string[], o: { env?: Record<string, string>; input?: string } = {}): Promise<string> => {
    const r = await kubectl(args, o);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  const manifest = (name: string, body: string): string => {
    const file = join(home, name);
    writeFileSync(file, body);
    return file;
  };

  const getService = async (name: string): Promise<Service> =>
    (await api.registry.get(api.registry.mustResource('services'), 'default', name)) as unknown as Service;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kubeloop-openapi-'));
    home = mkdtempSync(join(tmpdir(), 'kubeloop-openapi-home-'));
    api = await startApiServer({
      dataDir,
      port: 0,
      serviceCIDR: '127.77.0.0/16',
      extraRoutes: openapiRoutes(allResourceTypes),
      applyConfiguration: serverSideApply(),
    });
    kubeconfig = join(home, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: kubeloop',
        '  cluster:',
        `    server: ${api.url}`,
        `    certificate-authority-data: ${Buffer.from(api.credentials.caCert).toString('base64')}`,
        'users:',
        '- name: admin',
        '  user:',
        `    token: ${api.credentials.token}`,
        'contexts:',
        '- name: kubeloop',
        '  context: {cluster: kubeloop, user: admin, namespace: default}',
        'current-context: kubeloop',
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await api?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  test('client-side apply of the seed Service creates it, is unchanged the second time, and configures a change', async () => {
    assert.match(await ok(['apply', '-f', SEED]), /^service\/http-go-svc created$/m);
    assert.match(await ok(['apply', '-f', SEED]), /^service\/http-go-svc unchanged$/m);
    const changed = manifest('seed-8081.yaml', readFileSync(SEED, 'utf8').replace('targetPort: 8080', 'targetPort: 8081'));
    assert.match(await ok(['apply', '-f', changed]), /^service\/http-go-svc configured$/m);
    assert.equal((await getService('http-go-svc')).spec.ports?.[0]?.targetPort, 8081);
  });

  test('server-side apply creates, then re-applies, recording kubectl as the Apply manager', async () => {
    const file = manifest(
      'ssa.yaml',
      ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: ssa-svc', '  labels: {app: ssa}', 'spec:', '  selector: {app: ssa}', '  ports:', '  - port: 80', '    targetPort: 8080', ''].join('\n'),
    );
    assert.match(await ok(['apply', '--server-side', '-f', file]), /^service\/ssa-svc serverside-applied$/m);
    assert.match(await ok(['apply', '--server-side', '-f', file]), /^service\/ssa-svc serverside-applied$/m);
    const svc = await getService('ssa-svc');
    const entry = svc.metadata.managedFields?.find((e) => e.manager === 'kubectl');
    assert.equal(entry?.operation, 'Apply');
    assert.deepEqual(entry?.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} },
    });
  });

  test('server-side apply by another manager of a field kubectl applied fails with the conflict, and --force-conflicts takes it', async () => {
    const file = manifest(
      'ssa-other.yaml',
      ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: ssa-svc', 'spec:', '  ports:', '  - port: 80', '    targetPort: 9090', ''].join('\n'),
    );
    const r = await kubectl(['apply', '--server-side', '--field-manager', 'other', '-f', file]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.ports\[port=80,protocol="TCP"\]\.targetPort/);
    assert.match(await ok(['apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', file]), /serverside-applied/);
    assert.equal((await getService('ssa-svc')).spec.ports?.[0]?.targetPort, 9090);
  });

  test('create -f and replace -f validate against the served documents and write', async () => {
    const file = manifest('created.yaml', readFileSync(SEED, 'utf8').replace(/http-go-svc/g, 'created-svc'));
    assert.match(await ok(['create', '-f', file]), /^service\/created-svc created$/m);
    const replaced = manifest('replaced.yaml', readFileSync(file, 'utf8').replace('sessionAffinity: ClientIP', 'sessionAffinity: None'));
    assert.match(await ok(['replace', '-f', replaced]), /^service\/created-svc replaced$/m);
    assert.equal((await getService('created-svc')).spec.sessionAffinity, 'None');
  });

  test('edit saves through the validation check and a strategic merge patch', async () => {
    const editor = join(home, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/sessionAffinity: None/sessionAffinity: ClientIP/" "$1"\n');
    chmodSync(editor, 0o755);
    assert.match(await ok(['edit', 'svc', 'created-svc'], { env: { EDITOR: editor, KUBE_EDITOR: editor } }), /^service\/created-svc edited$/m);
    assert.equal((await getService('created-svc')).spec.sessionAffinity, 'ClientIP');
  });

  test('explain reads field documentation from the served OpenAPI v3', async () => {
    const out = await ok(['explain', 'service.spec.ports']);
    assert.match(out, /targetPort/);
    assert.match(out, /FIELDS:/);
  });

  test('apply of a manifest with an unknown field fails with the strict decoding error', async () => {
    const file = manifest('unknown.yaml', readFileSync(SEED, 'utf8').replace(/http-go-svc/g, 'unknown-svc').replace('  type: ClusterIP', '  type: ClusterIP\n  foo: bar'));
    const r = await kubectl(['apply', '-f', file]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(BadRequest\): error when creating ".*unknown\.yaml": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec\.foo"/);
  });

  test('client-side apply records kubectl-client-side-apply as an Update manager', async () => {
    const svc = await getService('http-go-svc');
    const entry = svc.metadata.managedFields?.find((e) => e.manager === 'kubectl-client-side-apply');
    assert.equal(entry?.operation, 'Update');
  });
});
