// EndpointSliceTracker (endpointslice/util): the resourceVersion of every slice this controller
// wrote, per Service, so a reconcile can tell a cache that has not yet seen its own writes (and
// must not act on it) from one that is current. Upstream tracks metadata.generation; slices here
// carry no generation, and a resourceVersion only grows, so it serves the same purpose.

const DELETION_EXPECTED = -1;

export class SliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  /** Records a slice this controller created or updated. */
  update(serviceKey: string, slice: { metadata: { uid: string; resourceVersion: string } }): void {
    this.map(serviceKey).set(slice.metadata.uid, rv(slice.metadata.resourceVersion));
  }

  expectDeletion(serviceKey: string, uid: string): void {
    this.map(serviceKey).set(uid, DELETION_EXPECTED);
  }

  /** True when the slice changed in a way this controller did not cause (someone else wrote it). */
  shouldSync(serviceKey: string, slice: { metadata: { uid: string; resourceVersion: string } }): boolean {
    const known = this.byService.get(serviceKey)?.get(slice.metadata.uid);
    return known === undefined || rv(slice.metadata.resourceVersion) > known;
  }

  /** Forgets a deleted slice; true when the deletion was not this controller's doing. */
  handleDeletion(serviceKey: string, uid: string): boolean {
    const m = this.byService.get(serviceKey);
    const known = m?.get(uid);
    m?.delete(uid);
    if (m && m.size === 0) this.byService.delete(serviceKey);
    return known !== DELETION_EXPECTED;
  }

  /** True when the cached slices lag behind what this controller wrote or deleted. */
  stale(serviceKey: string, slices: readonly { metadata: { uid: string; resourceVersion: string } }[]): boolean {
    const m = this.byService.get(serviceKey);
    if (!m) return false;
    const seen = new Set<string>();
    for (const s of slices) {
      seen.add(s.metadata.uid);
      const known = m.get(s.metadata.uid);
      if (known === undefined) continue;
      if (known === DELETION_EXPECTED || known > rv(s.metadata.resourceVersion)) return true;
    }
    for (const [uid, known] of m) if (known !== DELETION_EXPECTED && !seen.has(uid)) return true;
    return false;
  }

  deleteService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }

  private map(serviceKey: string): Map<string, number> {
    let m = this.byService.get(serviceKey);
    if (!m) this.byService.set(serviceKey, (m = new Map()));
    return m;
  }
}

function rv(s: string): number {
  const n = Number(s);
  return Number.isFinite(n) ? n : 0;
}
