// NodePort allocation over a port range (portallocator/allocator.go), offset 0 being the range's
// first port.
import { AllocationError, portRangeOffset, RANGE_FULL, RangeAllocator, type Allocated, type Random, type RangeSnapshot } from './range.js';

/** kube-apiserver's --service-node-port-range default. */
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

export const PORT_ALREADY_ALLOCATED = 'provided port is already allocated';

export interface PortRange {
  base: number;
  size: number;
}

/** `PortRange.String()`: "30000-32767". */
export function formatPortRange(pr: PortRange): string {
  return `${pr.base}-${pr.base + pr.size - 1}`;
}

function atoi(s: string): number {
  // Go's strconv.Atoi: optional sign, decimal digits.
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

/**
 * Parses "30000-32767", "30000+2767" or a single port "30000", with the messages of
 * apimachinery's PortRange.Set. Throws on a bad range.
 */
export function parsePortRange(value: string): PortRange {
  const v = value.trim();
  if (v === '') return { base: 0, size: 0 };
  const hyphen = v.indexOf('-');
  const plus = v.indexOf('+');
  let low: number;
  let high: number;
  if (hyphen < 0 && plus < 0) {
    low = high = atoi(v);
  } else if (hyphen >= 0 && plus < 0) {
    low = atoi(v.slice(0, hyphen));
    high = atoi(v.slice(hyphen + 1));
  } else if (plus >= 0 && hyphen < 0) {
    low = atoi(v.slice(0, plus));
    high = low + atoi(v.slice(plus + 1));
  } else {
    throw new Error(`unable to parse port range: ${v}`);
  }
  if (low > 65535 || high > 65535) throw new Error(`the port range cannot be greater than 65535: ${v}`);
  if (high < low) throw new Error(`end port cannot be less than start port: ${v}`);
  return { base: low, size: 1 + high - low };
}

export interface PortAllocatorOptions {
  random?: Random;
}

export class PortAllocator {
  readonly portRange: PortRange;
  /** The range as upstream prints it in errors and snapshots. */
  readonly rangeSpec: string;
  private readonly range: RangeAllocator;

  constructor(range: string | PortRange = DEFAULT_NODE_PORT_RANGE, opts: PortAllocatorOptions = {}) {
    this.portRange = typeof range === 'string' ? parsePortRange(range) : { ...range };
    this.rangeSpec = formatPortRange(this.portRange);
    this.range = new RangeAllocator(this.portRange.size, {
      offset: portRangeOffset(this.portRange.size),
      random: opts.random,
      rangeSpec: this.rangeSpec,
    });
  }

  /** Offsets below this form the static band: dynamic allocation avoids them while it can. */
  get staticBand(): number {
    return this.range.offset;
  }

  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.portRange.base && port < this.portRange.base + this.portRange.size;
  }

  allocate(port: number): Allocated<number> {
    if (!this.contains(port)) {
      const message = `provided port is not in the valid range. The range of valid ports is ${this.rangeSpec}`;
      return { ok: false, error: new AllocationError('NotInRange', message) };
    }
    if (!this.range.allocate(port - this.portRange.base)) {
      return { ok: false, error: new AllocationError('AlreadyAllocated', PORT_ALREADY_ALLOCATED) };
    }
    return { ok: true, value: port };
  }

  allocateNext(): Allocated<number> {
    const offset = this.range.allocateNext();
    if (offset === undefined) return { ok: false, error: new AllocationError('Full', RANGE_FULL) };
    return { ok: true, value: this.portRange.base + offset };
  }

  /** Frees `port`; freeing a free or out-of-range port does nothing. */
  release(port: number): void {
    if (this.contains(port)) this.range.release(port - this.portRange.base);
  }

  has(port: number): boolean {
    return this.contains(port) && this.range.has(port - this.portRange.base);
  }

  free(): number {
    return this.range.free();
  }

  used(): number {
    return this.range.used();
  }

  forEach(fn: (port: number) => void): void {
    this.range.forEach((offset) => fn(this.portRange.base + offset));
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
