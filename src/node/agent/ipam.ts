// Pod IPs from the node's pod CIDR, as a host-local IPAM plugin hands them out: the network
// address, the node's own address (the bridge gateway, first host address) and the broadcast
// address are never given; allocation goes round-robin after the last address given, so a freed
// address is not reused at once. Addresses are owned by pod UID; a pod restarted on the same node
// asks for the address its status already shows.

export class IPAllocationError extends Error {
  override readonly name = 'IPAllocationError';
}

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** Parses an IPv4 CIDR; throws IPAllocationError when it is not one or has fewer than 4 addresses. */
export function parseCIDR(cidr: string): { base: number; size: number } {
  const [ip, bits, ...rest] = cidr.split('/');
  const base = ipToInt(ip ?? '');
  const prefix = Number(bits);
  if (rest.length > 0 || base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
    throw new IPAllocationError(`Cannot use pod CIDR "${cidr}": expected an IPv4 CIDR with a prefix length between 8 and 30`);
  }
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), size };
}

/** The first host address of a CIDR (the node's own address by kubeloop's convention). */
export function gatewayOf(cidr: string): string {
  return intToIp(parseCIDR(cidr).base + 1);
}

export class PodIPAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly byIP = new Map<number, string>();
  private readonly byOwner = new Map<string, number>();
  private readonly reserved = new Set<number>();
  private last: number;

  constructor(
    readonly cidr: string,
    o: { reserved?: readonly string[] } = {},
  ) {
    const c = parseCIDR(cidr);
    this.base = c.base;
    this.size = c.size;
    this.reserved.add(0).add(1).add(this.size - 1);
    for (const r of o.reserved ?? []) {
      const n = ipToInt(r);
      if (n !== undefined && n >= this.base && n < this.base + this.size) this.reserved.add(n - this.base);
    }
    this.last = 1;
  }

  /** How many addresses can be given at most. */
  get capacity(): number {
    return this.size - this.reserved.size;
  }

  get used(): number {
    return this.byOwner.size;
  }

  ownerOf(ip: string): string | undefined {
    const n = ipToInt(ip);
    return n === undefined ? undefined : this.byIP.get(n - this.base);
  }

  addressOf(owner: string): string | undefined {
    const off = this.byOwner.get(owner);
    return off === undefined ? undefined : intToIp(this.base + off);
  }

  /** Takes `ip` for `owner` if it is in range, not reserved and free (or already the owner's). */
  reserve(owner: string, ip: string): boolean {
    const n = ipToInt(ip);
    if (n === undefined) return false;
    const off = n - this.base;
    if (off < 0 || off >= this.size || this.reserved.has(off)) return false;
    const holder = this.byIP.get(off);
    if (holder !== undefined) return holder === owner;
    const mine = this.byOwner.get(owner);
    if (mine !== undefined) return false;
    this.byIP.set(off, owner);
    this.byOwner.set(owner, off);
    return true;
  }

  /**
   * The owner's address: the one it has, else `preferred` when free, else the next free one
   * after the last given. Throws IPAllocationError when the range is full.
   */
  allocate(owner: string, preferred?: string): string {
    const have = this.addressOf(owner);
    if (have !== undefined) return have;
    if (preferred !== undefined && this.reserve(owner, preferred)) return preferred;
    for (let i = 1; i <= this.size; i++) {
      const off = (this.last + i) % this.size;
      if (this.reserved.has(off) || this.byIP.has(off)) continue;
      this.byIP.set(off, owner);
      this.byOwner.set(owner, off);
      this.last = off;
      return intToIp(this.base + off);
    }
    throw new IPAllocationError(`Cannot allocate a pod IP: every address of ${this.cidr} is in use`);
  }

  release(owner: string): void {
    const off = this.byOwner.get(owner);
    if (off === undefined) return;
    this.byOwner.delete(owner);
    this.byIP.delete(off);
  }
}
