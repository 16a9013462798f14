// Property: whatever sequence of creates, updates and deletes clients send, no ClusterIP or
// NodePort is ever held by two Services, the allocators hold exactly what stored Services use
// (so everything released is released), failed requests change nothing, and a restart's repair
// pass rebuilds the same state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Service, ServicePort, ServiceSpec } from '../../api/core.js';
import { needsHealthCheck, validateService } from '../../api/service/index.js';
import { FakeRegistry, service } from './_testing.js';
import { seededRandom } from './range.js';
import { repairAllocators } from './repair.js';
import { newServiceAllocators, type ServiceAllocators } from './serviceAllocation.js';

// Small ranges so that collisions and exhaustion happen often.
const CIDR = '10.0.0.0/29';
const NODE_PORTS = '30000-30009';
const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

type Kind = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'LoadBalancerLocal' | 'LoadBalancerNoPorts' | 'ExternalName' | 'Headless';

interface Shape {
  kind: Kind;
  ports: { name: string; port: number; protocol: 'TCP' | 'UDP'; nodePort?: number }[];
  clusterIP?: string;
  healthCheckNodePort?: number;
}

/** Mostly absent: explicit values are the exception, as in real manifests. */
const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });

const portArb = fc.record({
  port: fc.constantFrom(53, 80, 81),
  protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
  nodePort: sometimes(fc.constantFrom(30000, 30001, 30008, 30009, 40000)),
});

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  kind: fc.constantFrom<Kind>('ClusterIP', 'NodePort', 'LoadBalancer', 'LoadBalancerLocal', 'LoadBalancerNoPorts', 'ExternalName', 'Headless'),
  // Unique (protocol, port) pairs, named p0.. by position: valid ports, so requests mostly
  // fail for allocation reasons rather than validation.
  ports: fc
    .uniqueArray(portArb, { minLength: 1, maxLength: 3, selector: (p) => `${p.protocol}/${p.port}` })
    .map((ps) => ps.map((p, i) => ({ name: `p${i}`, ...p }))),
  clusterIP: sometimes(fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.6', '10.0.0.7', '10.0.1.1')),
  healthCheckNodePort: sometimes(fc.constantFrom(30002, 30003)),
});

type Command =
  | { op: 'create'; name: string; shape: Shape; dryRun: boolean }
  | { op: 'update'; name: string; shape: Shape; fromStored: boolean }
  | { op: 'delete'; name: string };

const nameArb = fc.constantFrom(...NAMES);
// Weighted towards creates so that the small ranges fill up and exhaustion is exercised.
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('create' as const), name: nameArb, shape: shapeArb, dryRun: fc.constantFrom(false, false, false, true) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('update' as const), name: nameArb, shape: shapeArb, fromStored: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), name: nameArb }), weight: 1 },
);

function specOf(shape: Shape): Partial<ServiceSpec> {
  const ports: ServicePort[] = shape.ports.map((p) => ({ ...p }));
  const spec: Partial<ServiceSpec> = { ports };
  switch (shape.kind) {
    case 'ClusterIP':
      for (const p of ports) delete p.nodePort;
      spec.type = 'ClusterIP';
      break;
    case 'NodePort':
      spec.type = 'NodePort';
      break;
    case 'LoadBalancer':
      spec.type = 'LoadBalancer';
      break;
    case 'LoadBalancerLocal':
      spec.type = 'LoadBalancer';
      spec.externalTrafficPolicy = 'Local';
      if (shape.healthCheckNodePort) spec.healthCheckNodePort = shape.healthCheckNodePort;
      break;
    case 'LoadBalancerNoPorts':
      spec.type = 'LoadBalancer';
      spec.allocateLoadBalancerNodePorts = false;
      break;
    case 'ExternalName':
      for (const p of ports) delete p.nodePort;
      return { type: 'ExternalName', externalName: 'x.example.com', ports };
    case 'Headless':
      for (const p of ports) delete p.nodePort;
      return { type: 'ClusterIP', clusterIP: 'None', ports };
    default: {
      const never: never = shape.kind;
      return never;
    }
  }
  if (shape.clusterIP) spec.clusterIP = shape.clusterIP;
  return spec;
}

/** What a stored Service holds: its IPv4 cluster IPs and its node ports (health check included). */
function holdings(svc: Service): { ips: string[]; ports: number[] } {
  const ips = svc.spec.type === 'ExternalName' ? [] : (svc.spec.clusterIPs ?? []).filter((ip) => ip !== 'None' && !ip.includes(':'));
  const ports = new Set((svc.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((np) => np !== 0));
  if (needsHealthCheck(svc) && svc.spec.healthCheckNodePort) ports.add(svc.spec.healthCheckNodePort);
  return { ips, ports: [...ports] };
}

function held(al: ServiceAllocators): { ips: string[]; ports: number[] } {
  const ips: string[] = [];
  const ports: number[] = [];
  al.clusterIPs.forEach((ip) => ips.push(ip));
  al.nodePorts.forEach((p) => ports.push(p));
  return { ips: ips.sort(), ports: ports.sort((a, b) => a - b) };
}

function checkInvariants(reg: FakeRegistry): void {
  const ipOwner = new Map<string, string>();
  const portOwner = new Map<number, string>();
  for (const [key, svc] of reg.store) {
    assert.deepEqual(validateService(svc), [], `stored ${key} is valid`);
    const h = holdings(svc);
    for (const ip of h.ips) {
      assert.equal(ipOwner.get(ip), undefined, `clusterIP ${ip} held by ${ipOwner.get(ip)} and ${key}`);
      ipOwner.set(ip, key);
    }
    for (const p of h.ports) {
      assert.equal(portOwner.get(p), undefined, `nodePort ${p} held by ${portOwner.get(p)} and ${key}`);
      portOwner.set(p, key);
    }
  }
  assert.deepEqual(held(reg.allocators), {
    ips: [...ipOwner.keys()].sort(),
    ports: [...portOwner.keys()].sort((a, b) => a - b),
  });
}

function run(reg: FakeRegistry, cmd: Command): void {
  const before = held(reg.allocators);
  let ok: boolean;
  switch (cmd.op) {
    case 'create':
      ok = reg.create(service(cmd.name, specOf(cmd.shape)), { dryRun: cmd.dryRun }).ok && !cmd.dryRun;
      break;
    case 'update': {
      const stored = reg.get(cmd.name);
      let next = service(cmd.name, specOf(cmd.shape));
      if (cmd.fromStored && stored) {
        // An edit of the stored object: allocated values stay where ports keep their names.
        const edited = structuredClone(stored);
        Object.assign(edited.spec, specOf(cmd.shape));
        const oldPorts = new Map((stored.spec.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
        for (const p of edited.spec.ports ?? []) if (p.nodePort === undefined && oldPorts.get(p.name ?? '')) p.nodePort = oldPorts.get(p.name ?? '');
        next = edited;
      }
      ok = reg.update(next).ok;
      break;
    }
    case 'delete':
      ok = reg.delete(cmd.name).ok;
      break;
    default: {
      const never: never = cmd;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
  if (!ok) assert.deepEqual(held(reg.allocators), before, `a failed or dry-run ${cmd.op} changed nothing`);
  checkInvariants(reg);
}

describe('Service allocation under random create/update/delete sequences', () => {
  it('never double-allocates, always releases, and survives a restart', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 10, maxLength: 60 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (cmds, seed) => {
        const reg = new FakeRegistry(newServiceAllocators({ serviceCIDR: CIDR, nodePortRange: NODE_PORTS, random: seededRandom(seed) }));
        for (const cmd of cmds) run(reg, cmd);

        const restarted = newServiceAllocators({ serviceCIDR: CIDR, nodePortRange: NODE_PORTS, random: seededRandom(seed + 1) });
        const report = repairAllocators([...reg.store.values()], restarted);
        assert.deepEqual(report.problems, []);
        assert.deepEqual(held(restarted), held(reg.allocators));

        for (const name of NAMES) reg.delete(name);
        assert.deepEqual(held(reg.allocators), { ips: [], ports: [] }, 'deleting everything frees everything');
      }),
      { numRuns: 300, seed: 20240601 },
    );
  });
});
