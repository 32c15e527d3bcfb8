/** How many exact paths a transaction may have read and still be folded by another writer. */
export const MAX_FOLDABLE_READS = 64;

/**
 * What a plan looked at in its snapshot: the exact paths it asked for (present or not),
 * and whether it read more broadly (listed a folder, read the whole tree). It is what
 * makes a transaction foldable: another writer may apply its changes on a newer head
 * exactly when none of these paths changed in between (optimistic concurrency, checked
 * path by path). A broad read makes it not foldable; it then retries on its own.
 */
export class ReadSet {
  readonly paths = new Set<string>();
  #broad = false;

  /** An exact path the plan asked about. */
  path(p: string): void {
    this.paths.add(p);
  }

  /** The plan listed a folder or read the tree: only the whole of it could be checked. */
  broad(): void {
    this.#broad = true;
  }

  get isBroad(): boolean {
    return this.#broad;
  }

  /** Whether another writer can check this read set (exact and small). */
  get foldable(): boolean {
    return !this.#broad && this.paths.size > 0 && this.paths.size <= MAX_FOLDABLE_READS;
  }
}
