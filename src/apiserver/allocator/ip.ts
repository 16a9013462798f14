// ClusterIP (and LoadBalancer IP) allocation over an IPv4 CIDR, as ipallocator/bitmap.go: the
// usable addresses are the CIDR minus its network and broadcast addresses, offset 0 being the
// first usable one (127.96.0.1 in 127.96.0.0/12).
import { formatIPv4, ipv4ToNumber, parseCIDR, parseIP } from '../../api/service/index.js';
import { AllocationError, ipRangeOffset, RANGE_FULL, RangeAllocator, type Allocated, type Random, type RangeSnapshot } from './range.js';

/** kubeloop's loopback-mode service CIDR. */
export const DEFAULT_SERVICE_CIDR = '127.96.0.0/12';

export const IP_ALREADY_ALLOCATED = 'provided IP is already allocated';

export interface IPAllocatorOptions {
  random?: Random;
}

export class IPAllocator {
  /** The CIDR in canonical (masked) form: "127.96.0.5/12" becomes "127.96.0.0/12". */
  readonly cidr: string;
  readonly family = 'IPv4' as const;
  private readonly network: number;
  /** Number of addresses in the CIDR, network and broadcast included. */
  private readonly cidrSize: number;
  private readonly range: RangeAllocator;

  /** Throws if `cidr` is not an IPv4 CIDR: kubeloop serves single-stack IPv4. */
  constructor(cidr: string, opts: IPAllocatorOptions = {}) {
    const parsed = parseCIDR(cidr);
    if (!parsed) throw new Error(`Cannot use service CIDR ${JSON.stringify(cidr)}: not a valid CIDR`);
    if (parsed.network.family !== 'IPv4') throw new Error(`Cannot use service CIDR ${cidr}: only IPv4 is supported`);
    // kube-apiserver's limit: the bitmap of a larger range would not be worth keeping.
    if (parsed.prefix < 12) throw new Error(`Cannot use service CIDR ${cidr}: too large; for 32-bit addresses, the mask must be >= 12`);
    this.network = ipv4ToNumber(parsed.network.bytes);
    this.cidr = `${formatIPv4(this.network)}/${parsed.prefix}`;
    this.cidrSize = 2 ** (32 - parsed.prefix);
    const usable = Math.max(0, this.cidrSize - 2);
    this.range = new RangeAllocator(usable, { offset: ipRangeOffset(this.cidrSize), random: opts.random, rangeSpec: this.cidr });
  }

  /** Offsets below this form the static band: dynamic allocation avoids them while it can. */
  get staticBand(): number {
    return this.range.offset;
  }

  /** The address `n` places above the network address; `addressAt(1)` is the first usable IP. */
  addressAt(n: number): string {
    if (!Number.isInteger(n) || n < 0 || n >= this.cidrSize) throw new RangeError(`Cannot index ${this.cidr} at ${n}`);
    return formatIPv4((this.network + n) >>> 0);
  }

  private offsetOf(ip: string): number | undefined {
    const parsed = parseIP(ip);
    if (!parsed || parsed.family !== 'IPv4') return undefined;
    const offset = ipv4ToNumber(parsed.bytes) - this.network - 1;
    return offset >= 0 && offset < this.range.size ? offset : undefined;
  }

  /** Whether `ip` is a usable address of this range (allocated or not). */
  contains(ip: string): boolean {
    return this.offsetOf(ip) !== undefined;
  }

  /** Reserves `ip` exactly; the value on success is the canonical form of `ip`. */
  allocate(ip: string): Allocated<string> {
    const offset = this.offsetOf(ip);
    if (offset === undefined) {
      const parsed = parseIP(ip);
      const shown = parsed?.family === 'IPv4' ? formatIPv4(ipv4ToNumber(parsed.bytes)) : parsed ? ip : '<nil>';
      const message = `the provided IP (${shown}) is not in the valid range. The range of valid IPs is ${this.cidr}`;
      return { ok: false, error: new AllocationError('NotInRange', message) };
    }
    if (!this.range.allocate(offset)) return { ok: false, error: new AllocationError('AlreadyAllocated', IP_ALREADY_ALLOCATED) };
    return { ok: true, value: formatIPv4((this.network + 1 + offset) >>> 0) };
  }

  /** Reserves a free address, from the dynamic band while it has room. */
  allocateNext(): Allocated<string> {
    const offset = this.range.allocateNext();
    if (offset === undefined) return { ok: false, error: new AllocationError('Full', RANGE_FULL) };
    return { ok: true, value: formatIPv4((this.network + 1 + offset) >>> 0) };
  }

  /** Frees `ip`; freeing a free or foreign address does nothing. */
  release(ip: string): void {
    const offset = this.offsetOf(ip);
    if (offset !== undefined) this.range.release(offset);
  }

  has(ip: string): boolean {
    const offset = this.offsetOf(ip);
    return offset !== undefined && this.range.has(offset);
  }

  free(): number {
    return this.range.free();
  }

  used(): number {
    return this.range.used();
  }

  forEach(fn: (ip: string) => void): void {
    this.range.forEach((offset) => fn(formatIPv4((this.network + 1 + offset) >>> 0)));
  }

  reset(): void {
    this.range.reset();
  }

  snapshot(): RangeSnapshot {
    return this.range.snapshot();
  }

  restore(snap: RangeSnapshot): void {
    this.range.restore(snap);
  }
}
