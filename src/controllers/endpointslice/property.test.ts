import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { EndpointSlice, Endpoints, Pod, Service, Stored } from '../../api/index.js';
import { eventually, type MemoryApi } from '../../testing/index.js';
import { addNode, controllersApi, node, pod, runPod, runningStatus, service, setPodStatus } from '../_testing.js';
import { startControllers, type RunningControllers } from '../index.js';
import { planEndpoints } from '../endpoints/plan.js';
import { SERVICE_NAME_LABEL, planEndpointSlices, sliceView } from './plan.js';

/** A random change to the pods around one Service. */
type Op =
  | { kind: 'create'; id: number; matches: boolean; ready: boolean; port: number }
  | { kind: 'delete'; id: number }
  | { kind: 'relabel'; id: number }
  | { kind: 'flip'; id: number }
  | { kind: 'terminate'; id: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), id: fc.nat(11), matches: fc.boolean(), ready: fc.boolean(), port: fc.constantFrom(8080, 8081) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.nat(11) }),
  fc.record({ kind: fc.constant('relabel' as const), id: fc.nat(11) }),
  fc.record({ kind: fc.constant('flip' as const), id: fc.nat(11) }),
  fc.record({ kind: fc.constant('terminate' as const), id: fc.nat(11) }),
);

const SERVICE = (name: string): Service => service(name, { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });

describe('EndpointSlice and Endpoints plans converge to the from-scratch result (property)', () => {
  it('after any sequence of pod create/delete/relabel/ready-flip/terminate, incremental slices publish what a fresh computation would', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), (ops, max) => {
        let rv = 0;
        const svc = { ...SERVICE('web'), metadata: { ...SERVICE('web').metadata, uid: 'svc', resourceVersion: '1', creationTimestamp: '2026-11-01T00:00:00Z', name: 'web' } } as Stored<Service>;
        const pods = new Map<number, Stored<Pod>>();
        let slices: Stored<EndpointSlice>[] = [];
        let endpoints: Stored<Endpoints> | undefined;
        const nodeOf = () => ({});
        for (const op of ops) {
          const cur = pods.get(op.id);
          switch (op.kind) {
            case 'create': {
              if (cur) break;
              const p = pod(`p${op.id}`, { labels: { app: op.matches ? 'web' : 'other' }, nodeName: 'node0', ports: [{ name: 'web', containerPort: op.port }] });
              p.status = runningStatus({ ip: `10.0.0.${op.id}`, ready: op.ready });
              pods.set(op.id, { ...p, metadata: { ...p.metadata, name: `p${op.id}`, uid: `u${op.id}-${++rv}`, resourceVersion: String(rv), creationTimestamp: '2026-11-01T00:00:00Z' } } as Stored<Pod>);
              break;
            }
            case 'delete':
              pods.delete(op.id);
              break;
            case 'relabel':
              if (cur) cur.metadata.labels = { app: cur.metadata.labels?.app === 'web' ? 'other' : 'web' };
              break;
            case 'flip':
              if (cur) cur.status = runningStatus({ ip: `10.0.0.${op.id}`, ready: cur.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True' });
              break;
            case 'terminate':
              if (cur) cur.metadata.deletionTimestamp = '2026-11-01T00:10:00Z';
              break;
          }
          const matching = [...pods.values()].filter((p) => p.metadata.labels?.app === 'web');
          // Incremental: plan against what exists, apply as the API would.
          const plan = planEndpointSlices({ service: svc, pods: matching, existing: slices, node: nodeOf, maxEndpointsPerSlice: max });
          const byName = new Map(slices.map((s) => [s.metadata.name, s]));
          for (const d of plan.delete) byName.delete(d.metadata.name);
          for (const u of plan.update) byName.set(u.metadata.name!, { ...u, metadata: { ...u.metadata, resourceVersion: String(++rv) } } as Stored<EndpointSlice>);
          for (const c of plan.create) {
            const name = `web-${++rv}`;
            byName.set(name, { ...c, metadata: { ...c.metadata, name, uid: `s${rv}`, resourceVersion: String(rv), creationTimestamp: '2026-11-01T00:00:00Z' } } as Stored<EndpointSlice>);
          }
          slices = [...byName.values()];
          const fresh = planEndpointSlices({ service: svc, pods: matching, existing: [], node: nodeOf, maxEndpointsPerSlice: max });
          assert.deepEqual(sliceView(slices), sliceView(fresh.create));
          for (const s of slices) assert.ok((s.endpoints?.length ?? 0) <= max, 'slice over capacity');
          if (slices.every((s) => !s.endpoints?.length)) assert.equal(slices.length, 1, 'exactly one placeholder');
          else assert.ok(slices.every((s) => (s.endpoints?.length ?? 0) > 0), 'no placeholder beside real slices');

          const ep = planEndpoints({ service: svc, pods: matching, current: endpoints, triggerTimeMs: undefined });
          if (ep.action !== 'none') endpoints = { ...ep.endpoints, metadata: { ...ep.endpoints.metadata, name: 'web', uid: 'ep', resourceVersion: String(++rv), creationTimestamp: '2026-11-01T00:00:00Z' } } as Stored<Endpoints>;
          const scratch = planEndpoints({ service: svc, pods: matching, current: undefined, triggerTimeMs: undefined });
          assert.ok(scratch.action === 'create');
          assert.deepEqual(endpoints?.subsets ?? [], scratch.endpoints.subsets ?? []);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('EndpointSlice and Endpoints controllers converge against the API (property)', () => {
  let api: MemoryApi;
  let ctl: RunningControllers;
  before(async () => {
    api = await controllersApi();
    await addNode(api.client, node('node0'));
    ctl = await startControllers({ client: api.client, controllers: ['endpoints', 'endpointslice'], maxEndpointsPerSlice: 3 });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });

  it('after random pod changes through the API, Endpoints and EndpointSlices equal a from-scratch computation', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const c = api.client;
        const name = `prop-${run++}`;
        const svc = await c.services('default').create(SERVICE(name));
        const live = new Set<number>();
        for (const op of ops) {
          const podName = `${name}-p${op.id}`;
          switch (op.kind) {
            case 'create':
              if (live.has(op.id)) break;
              await runPod(c, pod(podName, { labels: { app: op.matches ? name : 'other' }, nodeName: 'node0', ports: [{ name: 'web', containerPort: op.port }] }), {
                ip: `10.${run % 250}.0.${op.id + 1}`,
                ready: op.ready,
              });
              live.add(op.id);
              break;
            case 'delete':
              if (!live.has(op.id)) break;
              await c.pods('default').delete(podName, { gracePeriodSeconds: 0 });
              live.delete(op.id);
              break;
            case 'relabel': {
              if (!live.has(op.id)) break;
              const p = await c.pods('default').get(podName);
              await c.pods('default').update({ ...p, metadata: { ...p.metadata, labels: { app: p.metadata.labels?.app === name ? 'other' : name } } });
              break;
            }
            case 'flip':
              if (!live.has(op.id)) break;
              await setPodStatus(c, {
                namespace: 'default',
                name: podName,
                change: (p) => {
                  const ready = p.status?.conditions?.find((x) => x.type === 'Ready')?.status !== 'True';
                  p.status = { ...(p.status ?? {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-11-01T00:00:00Z' }] };
                },
              });
              break;
            case 'terminate':
              // Pods bound to a node are deleted gracefully: they stay, terminating.
              if (live.has(op.id)) await c.pods('default').delete(podName, { gracePeriodSeconds: 30 });
              break;
          }
        }
        const expected = async () => {
          const pods = (await c.pods('default').list({ labelSelector: `app=${name}` })).items;
          const slices = planEndpointSlices({ service: svc, pods, existing: [], node: () => ({}), maxEndpointsPerSlice: 3 }).create;
          const eps = planEndpoints({ service: svc, pods, current: undefined, triggerTimeMs: undefined });
          return { slices: sliceView(slices), subsets: eps.action === 'create' ? (eps.endpoints.subsets ?? []) : [] };
        };
        await eventually(
          async () => {
            const want = await expected();
            const slices = (await c.endpointSlices('default').list({ labelSelector: `${SERVICE_NAME_LABEL}=${name}` })).items;
            const ep = await c.endpoints('default').get(name);
            return JSON.stringify(sliceView(slices)) === JSON.stringify(want.slices) && JSON.stringify(ep.subsets ?? []) === JSON.stringify(want.subsets);
          },
          { timeoutMs: 5000, message: `service ${name} did not converge after ${JSON.stringify(ops)}` },
        );
      }),
      { numRuns: 20 },
    );
  });
});
