import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Container, Pod, Secret, Service } from '../../api/index.js';
import { EnvError, containerEnvironment, expand, expandCommand, fieldRefValue, lookupIn, serviceEnvVars, servicesForPod } from './env.js';

const svc = (namespace: string, name: string, clusterIP: string, ports: Service['spec']['ports']): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { clusterIP, ports },
});

const pod = (spec: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', labels: { app: 'web' }, annotations: { owner: 'team-a' }, ...meta },
  spec: { containers: [{ name: 'c' }], nodeName: 'node3', serviceAccountName: 'default', ...spec },
});

const addr = { podIP: '127.244.3.7', hostIP: '127.244.3.1' };

test('$(VAR) expands from the lookup; $$ escapes; unknown and unterminated references stay as written', () => {
  const l = lookupIn({ A: 'x', EMPTY: '' });
  assert.equal(expand('$(A)-$(A)', l), 'x-x');
  assert.equal(expand('$$(A)', l), '$(A)');
  assert.equal(expand('$(B)', l), '$(B)');
  assert.equal(expand('a$(EMPTY)b', l), 'ab');
  assert.equal(expand('$(A', l), '$(A');
  assert.equal(expand('cost $5 and $', l), 'cost $5 and $');
  assert.equal(expand('$$$$', l), '$$');
  assert.equal(expand('$$$(A)', l), '$x');
  assert.equal(expand('', l), '');
});

test('Service link variables follow envvars.FromServices for the conformance service fooservice:8765', () => {
  const vars = Object.fromEntries(serviceEnvVars([svc('default', 'fooservice', '127.96.0.50', [{ port: 8765, protocol: 'TCP', targetPort: 8080 }])]));
  assert.deepEqual(vars, {
    FOOSERVICE_SERVICE_HOST: '127.96.0.50',
    FOOSERVICE_SERVICE_PORT: '8765',
    FOOSERVICE_PORT: 'tcp://127.96.0.50:8765',
    FOOSERVICE_PORT_8765_TCP: 'tcp://127.96.0.50:8765',
    FOOSERVICE_PORT_8765_TCP_PROTO: 'tcp',
    FOOSERVICE_PORT_8765_TCP_PORT: '8765',
    FOOSERVICE_PORT_8765_TCP_ADDR: '127.96.0.50',
  });
});

test('named ports get _SERVICE_PORT_<NAME>; dashes become underscores; the first port is the default', () => {
  const vars = serviceEnvVars([
    svc('default', 'my-svc', '127.96.1.2', [
      { name: 'http-alt', port: 80, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]),
  ]);
  assert.deepEqual(vars.slice(0, 4), [
    ['MY_SVC_SERVICE_HOST', '127.96.1.2'],
    ['MY_SVC_SERVICE_PORT', '80'],
    ['MY_SVC_SERVICE_PORT_HTTP_ALT', '80'],
    ['MY_SVC_SERVICE_PORT_DNS', '53'],
  ]);
  const m = Object.fromEntries(vars);
  assert.equal(m['MY_SVC_PORT'], 'tcp://127.96.1.2:80');
  assert.equal(m['MY_SVC_PORT_53_UDP'], 'udp://127.96.1.2:53');
  assert.equal(m['MY_SVC_PORT_53_UDP_PROTO'], 'udp');
});

test('a pod sees its namespace\'s Services and default/kubernetes, never headless ones, none with enableServiceLinks false', () => {
  const all = [
    svc('default', 'kubernetes', '127.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
    svc('default', 'other', '127.96.0.2', [{ port: 80 }]),
    svc('shop', 'cart', '127.96.0.3', [{ port: 80 }]),
    svc('shop', 'headless', 'None', [{ port: 80 }]),
  ];
  assert.deepEqual(servicesForPod(all, { namespace: 'shop', enableServiceLinks: true }).map((s) => s.metadata.name).sort(), ['cart', 'kubernetes']);
  assert.deepEqual(servicesForPod(all, { namespace: 'shop', enableServiceLinks: false }).map((s) => s.metadata.name), ['kubernetes']);
});

test('fieldRef resolves name, namespace, uid, labels, annotations, node, service account and IPs', () => {
  const p = pod();
  const cases: [string, string][] = [
    ['metadata.name', 'web-1'],
    ['metadata.namespace', 'shop'],
    ['metadata.uid', 'u-1'],
    ["metadata.labels['app']", 'web'],
    ["metadata.labels['missing']", ''],
    ["metadata.annotations['owner']", 'team-a'],
    ['spec.nodeName', 'node3'],
    ['spec.serviceAccountName', 'default'],
    ['status.podIP', '127.244.3.7'],
    ['status.podIPs', '127.244.3.7'],
    ['status.hostIP', '127.244.3.1'],
  ];
  for (const [path, want] of cases) assert.equal(fieldRefValue(p, path, addr), want, path);
  assert.throws(() => fieldRefValue(p, 'spec.containers', addr), EnvError);
});

test('env values expand against earlier env, envFrom and Service variables; the container\'s own value wins', () => {
  const c: Container = {
    name: 'c',
    envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
    env: [
      { name: 'FIRST', value: 'one' },
      { name: 'SECOND', value: '$(FIRST)-two-$(CFG_mode)' },
      { name: 'URL', value: 'http://$(CART_SERVICE_HOST):$(CART_SERVICE_PORT)/' },
      { name: 'LATER_REF', value: '$(THIRD)' },
      { name: 'THIRD', value: '3' },
      { name: 'CART_SERVICE_HOST', value: 'overridden' },
      { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ],
  };
  const sources = { configMaps: new Map([['cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { mode: 'fast', 'bad key': 'x' } } as ConfigMap]]), secrets: new Map() };
  const r = containerEnvironment(pod(), c, { ...addr, services: [svc('shop', 'cart', '127.96.0.3', [{ port: 8080 }])], sources });
  assert.equal(r.env['SECOND'], 'one-two-fast');
  assert.equal(r.env['URL'], 'http://127.96.0.3:8080/', 'Service variables resolve before the container overrides them');
  assert.equal(r.env['LATER_REF'], '$(THIRD)', 'a later variable is not visible');
  assert.equal(r.env['CART_SERVICE_HOST'], 'overridden');
  assert.equal(r.env['CART_SERVICE_PORT'], '8080');
  assert.equal(r.env['MY_IP'], '127.244.3.7');
  assert.equal(r.env['POD_IP'], '127.244.3.7');
  assert.equal(r.env['CFG_mode'], 'fast');
  assert.deepEqual(r.warnings, ['Keys [CFG_bad key] from the EnvFrom configMap shop/cfg were skipped since they are considered invalid environment variable names.']);
});

test('configMapKeyRef and secretKeyRef: values, optional sources skipped, missing required ones are errors in upstream words', () => {
  const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: Buffer.from('hunter2').toString('base64') } };
  const sources = { configMaps: new Map([['cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } } as ConfigMap]]), secrets: new Map([['s', secret]]) };
  const env = (e: Container['env']) => containerEnvironment(pod(), { name: 'c', env: e }, { ...addr, services: [], sources }).env;
  assert.equal(env([{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }])['A'], 'v');
  assert.equal(env([{ name: 'T', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } }])['T'], 'hunter2');
  assert.equal('O' in env([{ name: 'O', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } }]), false);
  assert.equal('O' in env([{ name: 'O', valueFrom: { secretKeyRef: { name: 's', key: 'nope', optional: true } } }]), false);
  assert.throws(() => env([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }]), { name: 'EnvError', message: 'configmap "nope" not found' });
  assert.throws(() => env([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'zz' } } }]), { message: "couldn't find key zz in ConfigMap shop/cm" });
  assert.throws(() => env([{ name: 'X', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }]), { message: 'secret "gone" not found' });
  assert.throws(() => env([{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'zz' } } }]), { message: "couldn't find key zz in Secret shop/s" });
  assert.throws(() => containerEnvironment(pod(), { name: 'c', envFrom: [{ secretRef: { name: 'gone' } }] }, { ...addr, services: [], sources }), { message: 'secret "gone" not found' });
});

test('command and args expand against the final environment', () => {
  const env = { GREETING: 'hi', POD_IP: '127.244.3.7' };
  assert.deepEqual(expandCommand({ command: ['sh', '-c', 'echo $(GREETING) $HOME'], args: ['$(POD_IP):8080', '$(NOPE)'] }, env), {
    command: ['sh', '-c', 'echo hi $HOME'],
    args: ['127.244.3.7:8080', '$(NOPE)'],
  });
  assert.deepEqual(expandCommand({}, env), {});
});
