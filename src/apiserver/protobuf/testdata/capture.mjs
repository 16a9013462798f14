#!/usr/bin/env node
// Regenerates the fixtures in this folder from the real kubectl on this machine.
//
//   node src/apiserver/protobuf/testdata/capture.mjs
//
// For each case below it runs `kubectl create …` twice against a throwaway fake apiserver on
// 127.0.0.1 (plain http, so kubectl sends no credentials):
//   1. for real: the fake server records the protobuf POST body byte for byte → <case>.bin
//   2. with `--dry-run=client -o json`: kubectl's own JSON rendering of the object → <case>.json
// The unit tests (decode.test.ts) only read these files; they never need kubectl.
//
// The fake server answers what kubectl 1.32 needs (see shared/reference/kubectl-protocol.md §0,
// §1.2, §1.5): /version with minor "32" (the dispatcher then execs its built-in v1.32.4),
// aggregated discovery on /api and /apis, and 201 + a minimal JSON object for any POST.
// HOME and KUBECONFIG point into a fresh temp dir so no discovery/http cache interferes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

/** name → kubectl arguments after `kubectl`. Names become fixture file names. */
const CASES = [
  ['deployment-http-go', ['create', 'deployment', 'http-go', '--image=gasbugs/http-go', '--replicas=3']],
  ['deployment-web', ['create', 'deployment', 'web', '--image=nginx', '--port=80']],
  ['deployment-zero', ['create', 'deployment', 'zero', '--image=nginx', '--replicas=0']],
  ['deployment-multi', ['create', 'deployment', 'multi', '--image=nginx', '--image=busybox', '-n', 'team-a']],
  ['service-clusterip', ['create', 'service', 'clusterip', 's1', '--tcp=80:8080']],
  ['service-clusterip-headless', ['create', 'service', 'clusterip', 'hl', '--clusterip=None']],
  ['service-nodeport', ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080']],
  ['service-loadbalancer', ['create', 'service', 'loadbalancer', 'lb', '--tcp=80:8080']],
  ['service-externalname', ['create', 'service', 'externalname', 'ex', '--external-name=example.com']],
  ['namespace', ['create', 'namespace', 'n1']],
  ['configmap', ['create', 'configmap', 'c1', '--from-literal=a=b', '--from-literal=c=d']],
  ['configmap-binary', ['create', 'configmap', 'bin', '--from-file=blob=@BINFILE@', '--from-literal=empty=']],
  ['secret-generic', ['create', 'secret', 'generic', 's1', '--from-literal=k=v']],
  ['secret-docker-registry', ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p']],
  ['serviceaccount', ['create', 'serviceaccount', 'sa1']],
  ['job', ['create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi']],
  ['cronjob', ['create', 'cronjob', 'cj1', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date']],
  // kubectl GETs the CronJob below (as JSON) and POSTs a Job built from its jobTemplate: the one
  // way to make kubectl's own Go code encode a pod template that uses nearly every PodSpec field.
  ['job-from-cronjob', ['create', 'job', 'rich-run', '--from=cronjob/rich']],
];

/** Objects the fake server returns for GET, by path (inputs to the cases above). */
const GETS = {
  '/apis/batch/v1/namespaces/default/cronjobs/rich': JSON.parse(readFileSync(join(here, 'rich-cronjob.json'), 'utf8')),
};

/** resource → [group, version, kind, shortNames] for aggregated discovery and POST answers. */
const RESOURCES = {
  namespaces: ['', 'v1', 'Namespace', ['ns'], false],
  services: ['', 'v1', 'Service', ['svc'], true],
  configmaps: ['', 'v1', 'ConfigMap', ['cm'], true],
  secrets: ['', 'v1', 'Secret', [], true],
  serviceaccounts: ['', 'v1', 'ServiceAccount', ['sa'], true],
  pods: ['', 'v1', 'Pod', ['po'], true],
  deployments: ['apps', 'v1', 'Deployment', ['deploy'], true],
  jobs: ['batch', 'v1', 'Job', [], true],
  cronjobs: ['batch', 'v1', 'CronJob', ['cj'], true],
};

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function discovery(groups) {
  const items = groups.map((group) => ({
    metadata: { name: group },
    versions: [
      {
        version: 'v1',
        freshness: 'Current',
        resources: Object.entries(RESOURCES)
          .filter(([, [g]]) => g === group)
          .map(([resource, [g, v, kind, shortNames, namespaced]]) => ({
            resource,
            responseKind: { group: g, version: v, kind },
            scope: namespaced ? 'Namespaced' : 'Cluster',
            singularResource: kind.toLowerCase(),
            shortNames,
            verbs: VERBS,
          })),
      },
    ],
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

const VERSION = {
  major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean', buildDate: '2025-04-22T00:00:00Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64',
};

let lastPost = null;

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (code, body, type = 'application/json') => {
      res.writeHead(code, { 'Content-Type': type });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/version') return send(200, VERSION);
    const discoveryType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
    if (req.method === 'GET' && url.pathname === '/api') return send(200, discovery(['']), discoveryType);
    if (req.method === 'GET' && url.pathname === '/apis') return send(200, discovery(['apps', 'batch']), discoveryType);
    if (req.method === 'GET' && Object.hasOwn(GETS, url.pathname)) return send(200, GETS[url.pathname]);
    if (req.method === 'POST') {
      const resource = url.pathname.split('/').at(-1) ?? '';
      const [group, version, kind] = RESOURCES[resource] ?? ['', 'v1', 'Status'];
      lastPost = { contentType: req.headers['content-type'], body: Buffer.concat(chunks) };
      return send(201, { kind, apiVersion: group ? `${group}/${version}` : version, metadata: { name: 'captured' } });
    }
    return send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404 });
  });
});

function run(args, env) {
  return new Promise((resolve, reject) => {
    execFile(KUBECTL, args, { env, timeout: 60_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kubectl ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'kubeloop-capture-'));
try {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "http://127.0.0.1:' + port + '"}}]',
      'users: [{name: u, user: {}}]',
      'contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]',
      'current-context: c',
      '',
    ].join('\n'),
  );
  // Not valid UTF-8, so kubectl must put it in binaryData (base64 in JSON, bytes in protobuf).
  const binFile = join(dir, 'blob.bin');
  writeFileSync(binFile, Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a]));
  const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig };

  for (const [name, rawArgs] of CASES) {
    const args = rawArgs.map((a) => a.replace('@BINFILE@', binFile));
    lastPost = null;
    await run(args, env);
    if (!lastPost) throw new Error(`${name}: kubectl sent no POST`);
    if (lastPost.contentType !== 'application/vnd.kubernetes.protobuf') {
      throw new Error(`${name}: expected a protobuf body, got Content-Type ${lastPost.contentType}`);
    }
    writeFileSync(join(here, `${name}.bin`), lastPost.body);
    // Flags must go before `--`, after which everything is the container command.
    const dashes = args.indexOf('--');
    const at = dashes < 0 ? args.length : dashes;
    const dryRun = [...args.slice(0, at), '--dry-run=client', '-o', 'json', ...args.slice(at)];
    const json = await run(dryRun, env);
    writeFileSync(join(here, `${name}.json`), JSON.stringify(JSON.parse(json), null, 2) + '\n');
    process.stdout.write(`captured ${name}: ${lastPost.body.length} bytes\n`);
  }
} finally {
  server.close();
  server.closeAllConnections();
  rmSync(dir, { recursive: true, force: true });
}
