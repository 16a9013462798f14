// Which node a client belongs to, from its source address: a node IP, or an address in a node's
// pod CIDR. This is how the userspace data plane applies Local traffic policies in loopback mode,
// where every node shares one network stack.
import { cidrContains, parseIPv4CIDR, type IPv4CIDR } from './_ip.js';
import type { NodeInfo } from './types.js';

export class NodeIndex {
  private readonly byIP = new Map<string, string>();
  private readonly cidrs: { node: string; cidr: IPv4CIDR }[] = [];
  readonly nodes: readonly NodeInfo[];

  /** Throws if a pod CIDR is not IPv4: the caller's configuration is wrong. */
  constructor(nodes: readonly NodeInfo[]) {
    this.nodes = nodes;
    for (const n of nodes) {
      // The first node to claim an address owns it.
      for (const ip of n.ips) if (!this.byIP.has(ip)) this.byIP.set(ip, n.name);
      if (n.podCIDR) {
        const cidr = parseIPv4CIDR(n.podCIDR);
        if (!cidr) throw new Error(`Cannot use pod CIDR ${JSON.stringify(n.podCIDR)} of node ${n.name}: not an IPv4 CIDR`);
        this.cidrs.push({ node: n.name, cidr });
      }
    }
  }

  /** The node a source address belongs to, or undefined for a client outside the cluster. */
  nodeOf(ip: string): string | undefined {
    const direct = this.byIP.get(ip);
    if (direct !== undefined) return direct;
    for (const c of this.cidrs) if (cidrContains(c.cidr, ip)) return c.node;
    return undefined;
  }

  /** The node owning a node address (for NodePort and health-check listeners). */
  nodeOfAddress(ip: string): string | undefined {
    return this.byIP.get(ip);
  }

  /** Every (node, address) pair a per-node port is served on; each address once. */
  nodeAddresses(): { node: string; ip: string }[] {
    return [...this.byIP].map(([ip, node]) => ({ node, ip }));
  }
}
