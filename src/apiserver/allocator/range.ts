// The one range allocator behind ClusterIPs, NodePorts and LoadBalancer IPs: a bitmap over
// offsets 0..size-1 (pkg/registry/core/service/allocator/bitmap.go). What an offset means (an IP,
// a port) is the wrapper's business (ip.ts, port.ts).
//
// Dynamic allocation follows KEP-3070/KEP-3668: offsets [0, offset) are a static band kept for
// explicit requests. allocateNext picks a random start in the dynamic band [offset, size), scans
// forward with wrap-around, and only when that band is full scans the static band the same way.

/** A source of uniform numbers in [0, 1), like Math.random; injected so tests are repeatable. */
export type Random = () => number;

export interface RangeAllocatorOptions {
  /** Size of the static band at the bottom of the range; 0 disables banding. */
  offset?: number;
  random?: Random;
  /** What the range covers ("127.96.0.0/12", "30000-32767"); snapshots carry it. */
  rangeSpec?: string;
}

/** Allocation state: bit i of `data[i >> 3]` (least significant bit first) is offset i. */
export interface RangeSnapshot {
  range: string;
  data: Uint8Array;
}

export type AllocationFailure = 'AlreadyAllocated' | 'NotInRange' | 'Full';

/** Why an allocation failed, with upstream's message text. */
export class AllocationError extends Error {
  constructor(
    readonly reason: AllocationFailure,
    message: string,
  ) {
    super(message);
    this.name = 'AllocationError';
  }
}

/** The outcome of allocating one value: the value, or why it could not be had. */
export type Allocated<T> = { ok: true; value: T } | { ok: false; error: AllocationError };

export const RANGE_FULL = 'range is full';

function intn(random: Random, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

export class RangeAllocator {
  readonly size: number;
  readonly offset: number;
  readonly rangeSpec: string;
  private readonly random: Random;
  private bits: Uint8Array;
  private count = 0;

  constructor(size: number, opts: RangeAllocatorOptions = {}) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`Cannot create range allocator: invalid size ${size}`);
    this.size = size;
    const offset = opts.offset ?? 0;
    // A static band that leaves no dynamic band is no band at all.
    this.offset = offset > 0 && offset < size ? offset : 0;
    this.random = opts.random ?? Math.random;
    this.rangeSpec = opts.rangeSpec ?? '';
    this.bits = new Uint8Array(Math.ceil(size / 8));
  }

  private bit(i: number): boolean {
    return ((this.bits[i >> 3]! >> (i & 7)) & 1) === 1;
  }

  private inRange(i: number): boolean {
    return Number.isInteger(i) && i >= 0 && i < this.size;
  }

  /** Takes `offset`; false if it was already taken. Offsets outside the range are a caller bug. */
  allocate(offset: number): boolean {
    if (!this.inRange(offset)) throw new RangeError(`Cannot allocate offset ${offset}: outside 0..${this.size - 1}`);
    if (this.bit(offset)) return false;
    this.bits[offset >> 3]! |= 1 << (offset & 7);
    this.count++;
    return true;
  }

  /** Takes a free offset, preferring the dynamic band; undefined when the range is full. */
  allocateNext(): number | undefined {
    if (this.count >= this.size) return undefined;
    const found = this.scan(this.offset, this.size) ?? this.scan(0, this.offset);
    if (found !== undefined) this.allocate(found);
    return found;
  }

  /** Scans [lo, hi) from a random start, wrapping once. */
  private scan(lo: number, hi: number): number | undefined {
    const n = hi - lo;
    if (n <= 0) return undefined;
    const start = intn(this.random, n);
    for (let i = 0; i < n; i++) {
      const at = lo + ((start + i) % n);
      if (!this.bit(at)) return at;
    }
    return undefined;
  }

  /** Frees `offset`. Freeing a free or out-of-range offset does nothing. */
  release(offset: number): void {
    if (!this.inRange(offset) || !this.bit(offset)) return;
    this.bits[offset >> 3]! &= ~(1 << (offset & 7));
    this.count--;
  }

  has(offset: number): boolean {
    return this.inRange(offset) && this.bit(offset);
  }

  free(): number {
    return this.size - this.count;
  }

  used(): number {
    return this.count;
  }

  /** Calls `fn` for each taken offset in ascending order. */
  forEach(fn: (offset: number) => void): void {
    for (let byte = 0; byte < this.bits.length; byte++) {
      const b = this.bits[byte]!;
      if (b === 0) continue;
      for (let j = 0; j < 8; j++) if ((b >> j) & 1) fn(byte * 8 + j);
    }
  }

  /** Frees everything. */
  reset(): void {
    this.bits.fill(0);
    this.count = 0;
  }

  snapshot(): RangeSnapshot {
    return { range: this.rangeSpec, data: this.bits.slice() };
  }

  /** Replaces the state with a snapshot of the same range; throws if the range differs. */
  restore(snap: RangeSnapshot): void {
    if (snap.range !== this.rangeSpec) throw new Error('the provided range does not match the current range');
    const bits = new Uint8Array(this.bits.length);
    bits.set(snap.data.subarray(0, bits.length));
    // Bits past `size` in the last byte are never valid offsets.
    if (this.size % 8 !== 0 && bits.length > 0) bits[bits.length - 1]! &= (1 << this.size % 8) - 1;
    this.bits = bits;
    this.count = 0;
    for (const b of bits) {
      let v = b;
      while (v) {
        v &= v - 1;
        this.count++;
      }
    }
  }
}

/**
 * Static band of a service CIDR holding `cidrSize` addresses (network and broadcast included):
 * min(max(16, cidrSize/16), 256), or 0 for 16 addresses or fewer (ipallocator calculateRangeOffset).
 */
export function ipRangeOffset(cidrSize: number): number {
  if (cidrSize <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(cidrSize / 16)), 256);
}

/** Static band of a NodePort range of `size` ports: min(max(16, size/32), 128), 0 if size ≤ 16. */
export function portRangeOffset(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

/** A small deterministic Random (mulberry32) for tests and reproducible runs. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
