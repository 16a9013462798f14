import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, Service, Stored } from '../api/index.js';
import { TriggerTimeTracker, findPort, podEndpointsChanged, selectorMatches, shouldPodBeInEndpoints, shouldSetHostname } from './_endpoints.js';
import { pod, runningStatus, service } from './_testing.js';

const stored = <T extends { metadata: object }>(o: T, name: string, extra: object = {}): Stored<T> =>
  ({ ...o, metadata: { ...(o.metadata as object), name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: '2026-11-01T00:00:00Z', ...extra } }) as Stored<T>;

function withReady(name: string, since: string): Stored<Pod> {
  const p = pod(name, { labels: { app: 'web' } });
  p.status = runningStatus({ ip: '10.0.0.1', ready: true, since });
  return stored(p, name);
}

describe('endpoint rules shared by both controllers', () => {
  it('resolves numeric, omitted and named target ports (matching protocol) as podutil.FindPort', () => {
    const p = pod('a', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
    assert.equal(findPort(p, { port: 80, targetPort: 9376 }), 9376);
    assert.equal(findPort(p, { port: 80 }), 80);
    assert.equal(findPort(p, { port: 80, targetPort: 'http' }), 8080);
    assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' }), 53);
    assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'TCP' }), undefined);
    assert.equal(findPort(p, { port: 80, targetPort: 'missing' }), undefined);
  });

  it('finds named ports of restartable init containers (sidecars) too', () => {
    const p = pod('a');
    p.spec.initContainers = [{ name: 'side', restartPolicy: 'Always', ports: [{ name: 'metrics', containerPort: 9090 }] }, { name: 'init', ports: [{ name: 'once', containerPort: 1 }] }];
    assert.equal(findPort(p, { port: 90, targetPort: 'metrics' }), 9090);
    assert.equal(findPort(p, { port: 1, targetPort: 'once' }), undefined);
  });

  it('includes pods with an IP that are not terminal; terminating ones only when asked', () => {
    const base = pod('a');
    base.status = runningStatus({ ip: '10.0.0.1', ready: false });
    assert.ok(shouldPodBeInEndpoints(base, { includeTerminating: false }));
    assert.ok(!shouldPodBeInEndpoints({ ...base, status: { ...base.status, phase: 'Succeeded' } }, { includeTerminating: true }));
    assert.ok(!shouldPodBeInEndpoints({ ...base, status: { phase: 'Running' } }, { includeTerminating: true }));
    const terminating = { ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-11-01T00:00:00Z' } };
    assert.ok(shouldPodBeInEndpoints(terminating, { includeTerminating: true }));
    assert.ok(!shouldPodBeInEndpoints(terminating, { includeTerminating: false }));
  });

  it('sets a hostname only when the subdomain names the service in the same namespace', () => {
    const svc: Service = service('db');
    assert.ok(shouldSetHostname(pod('a', { hostname: 'db-0', subdomain: 'db' }), svc));
    assert.ok(!shouldSetHostname(pod('a', { hostname: 'db-0', subdomain: 'other' }), svc));
    assert.ok(!shouldSetHostname(pod('a', { subdomain: 'db' }), svc));
  });

  it('matches nil selectors against nothing and empty ones against everything', () => {
    assert.ok(!selectorMatches(undefined, { a: 'b' }));
    assert.ok(selectorMatches({}, undefined));
    assert.ok(selectorMatches({ a: 'b' }, { a: 'b', c: 'd' }));
  });

  it('tells endpoint-relevant pod changes from the rest', () => {
    const a = withReady('a', '2026-11-01T00:00:00Z');
    const annotated = { ...a, metadata: { ...a.metadata, annotations: { x: 'y' } } };
    assert.deepEqual(podEndpointsChanged(a, annotated), { podChanged: false, labelsChanged: false });
    const unready = { ...a, status: runningStatus({ ip: '10.0.0.1', ready: false }) };
    assert.deepEqual(podEndpointsChanged(a, unready), { podChanged: true, labelsChanged: false });
    const moved = { ...a, status: runningStatus({ ip: '10.0.0.2', ready: true }) };
    assert.equal(podEndpointsChanged(a, moved).podChanged, true);
    const relabelled = { ...a, metadata: { ...a.metadata, labels: { app: 'other' } } };
    assert.deepEqual(podEndpointsChanged(a, relabelled), { podChanged: false, labelsChanged: true });
  });
});

describe('TriggerTimeTracker', () => {
  const svc = stored(service('web'), 'web', { creationTimestamp: '2026-11-01T00:00:00Z' });

  it('answers the service creation time for a service it has not seen', () => {
    assert.equal(new TriggerTimeTracker().compute('default/web', { service: svc, pods: [withReady('a', '2026-11-01T01:00:00Z')] }), Date.UTC(2026, 10, 1));
  });

  it('then answers the earliest Ready transition among pods that changed since the last sync, or nothing', () => {
    const t = new TriggerTimeTracker();
    t.compute('default/web', { service: svc, pods: [withReady('a', '2026-11-01T01:00:00Z'), withReady('b', '2026-11-01T01:00:00Z')] });
    assert.equal(t.compute('default/web', { service: svc, pods: [withReady('a', '2026-11-01T01:00:00Z'), withReady('b', '2026-11-01T01:00:00Z')] }), undefined);
    const later = t.compute('default/web', { service: svc, pods: [withReady('a', '2026-11-01T02:00:00Z'), withReady('b', '2026-11-01T03:00:00Z'), withReady('c', '2026-11-01T01:30:00Z')] });
    assert.equal(later, Date.UTC(2026, 10, 1, 1, 30));
  });

  it('starts over when a service is forgotten', () => {
    const t = new TriggerTimeTracker();
    t.compute('default/web', { service: svc, pods: [] });
    t.delete('default/web');
    assert.equal(t.compute('default/web', { service: svc, pods: [] }), Date.UTC(2026, 10, 1));
  });
});
