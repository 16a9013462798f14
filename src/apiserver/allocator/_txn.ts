// A tiny two-phase transaction over allocator steps: allocations are taken at once and undone
// on revert; releases are deferred to commit, so a failed update never gives away what the
// stored object still holds. The first of commit()/revert() wins; later calls do nothing.

export class Transaction {
  private readonly undo: Array<() => void> = [];
  private readonly deferred: Array<() => void> = [];
  private state: 'open' | 'committed' | 'reverted' = 'open';

  /** Registers how to undo a step already taken. Undo steps run last-first. */
  undoWith(fn: () => void): void {
    this.undo.push(fn);
  }

  /** Registers a step that happens only when the transaction commits. */
  onCommit(fn: () => void): void {
    this.deferred.push(fn);
  }

  commit(): void {
    if (this.state !== 'open') return;
    this.state = 'committed';
    for (const fn of this.deferred) fn();
  }

  revert(): void {
    if (this.state !== 'open') return;
    this.state = 'reverted';
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!();
  }
}
