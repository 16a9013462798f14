// kubeconfig files: the data dir's own, and merging the `kubeloop` context into ~/.kube/config
// (as kind and minikube do).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';

export interface KubeconfigEntry {
  name: string;
  server: string;
  caCert: string;
  token: string;
}

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface KubeconfigDoc {
  apiVersion: string;
  kind: string;
  clusters?: Named<unknown>[];
  users?: Named<unknown>[];
  contexts?: Named<unknown>[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
}

export function kubeconfigFor(e: KubeconfigEntry): KubeconfigDoc {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: e.name, cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caCert).toString('base64') } }],
    users: [{ name: e.name, user: { token: e.token } }],
    contexts: [{ name: e.name, context: { cluster: e.name, user: e.name, namespace: 'default' } }],
    'current-context': e.name,
    preferences: {},
  };
}

export function writeKubeconfig(path: string, e: KubeconfigEntry): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(kubeconfigFor(e)), { mode: 0o600 });
}

/** Replaces (or adds) the entry's cluster, user and context in an existing kubeconfig and selects it. */
export function mergeKubeconfig(path: string, e: KubeconfigEntry): void {
  let doc: KubeconfigDoc = { apiVersion: 'v1', kind: 'Config' };
  if (existsSync(path)) {
    const parsed = parse(readFileSync(path, 'utf8')) as KubeconfigDoc | null;
    if (parsed && typeof parsed === 'object') doc = parsed;
  }
  const mine = kubeconfigFor(e);
  const put = (key: 'clusters' | 'users' | 'contexts') => {
    const list = (doc[key] ?? []).filter((x) => x.name !== e.name);
    list.push(...(mine[key] ?? []));
    doc[key] = list;
  };
  put('clusters');
  put('users');
  put('contexts');
  doc['current-context'] = e.name;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(doc), { mode: 0o600 });
}
