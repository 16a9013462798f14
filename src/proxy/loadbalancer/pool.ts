// The LoadBalancer IP pool: the usable addresses of an IPv4 CIDR over the project's generic
// bitmap range allocator (STYLE.md 11). Dynamic allocation hands out the lowest free address, as
// bare-metal load balancers do, so addresses are predictable in a small lab.
import { RangeAllocator } from '../../apiserver/allocator/index.js';
import { ipv4ToNumber, numberToIPv4, parseIPv4CIDR } from '../_ip.js';

export type PoolResult = { ok: true; ip: string } | { ok: false; reason: 'NotInRange' | 'AlreadyAllocated' | 'Full'; message: string };

export class LoadBalancerPool {
  readonly cidr: string;
  private readonly first: number;
  private readonly range: RangeAllocator;

  /** Throws if `cidr` is not an IPv4 CIDR with at least one usable address. */
  constructor(cidr: string) {
    const c = parseIPv4CIDR(cidr);
    if (!c) throw new Error(`Cannot use load balancer CIDR ${JSON.stringify(cidr)}: not an IPv4 CIDR`);
    this.cidr = `${numberToIPv4(c.network)}/${c.prefix}`;
    // Network and broadcast addresses are not handed out, except in /31 and /32.
    const skipEnds = c.prefix <= 30;
    this.first = c.network + (skipEnds ? 1 : 0);
    const size = skipEnds ? c.size - 2 : c.size;
    if (size <= 0) throw new Error(`Cannot use load balancer CIDR ${cidr}: no usable addresses`);
    this.range = new RangeAllocator(size, { offset: 0, random: () => 0, rangeSpec: this.cidr });
  }

  private offsetOf(ip: string): number | undefined {
    const n = ipv4ToNumber(ip);
    if (n === undefined) return undefined;
    const off = n - this.first;
    return off >= 0 && off < this.range.size ? off : undefined;
  }

  contains(ip: string): boolean {
    return this.offsetOf(ip) !== undefined;
  }

  /** Reserves exactly `ip`. */
  allocate(ip: string): PoolResult {
    const off = this.offsetOf(ip);
    if (off === undefined) return { ok: false, reason: 'NotInRange', message: `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}` };
    if (!this.range.allocate(off)) return { ok: false, reason: 'AlreadyAllocated', message: 'provided IP is already allocated' };
    return { ok: true, ip };
  }

  /** Reserves the lowest free address. */
  allocateNext(): PoolResult {
    const off = this.range.allocateNext();
    if (off === undefined) return { ok: false, reason: 'Full', message: 'range is full' };
    return { ok: true, ip: numberToIPv4(this.first + off) };
  }

  release(ip: string): void {
    const off = this.offsetOf(ip);
    if (off !== undefined) this.range.release(off);
  }

  has(ip: string): boolean {
    const off = this.offsetOf(ip);
    return off !== undefined && this.range.has(off);
  }

  used(): number {
    return this.range.used();
  }
}
