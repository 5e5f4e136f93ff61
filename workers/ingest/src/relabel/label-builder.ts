import { compareLabelNames, type Label } from "./label";

const NOTHING: readonly Label[] = [];

/**
 * A mutable view over a label set with Prometheus's `labels.Builder` semantics, which relabeling depends on:
 * setting an empty value deletes the label, and `snapshot()` lists untouched base labels (sorted) first, then
 * labels set since, in the order they were set. That order decides which source wins when `labelmap` maps two
 * labels to one name. One builder is made per relabeled series, so nothing is allocated until something changes.
 */
export class LabelBuilder {
  private base: readonly Label[];
  private added: Label[] | undefined;
  private deleted: Set<string> | undefined;

  /** `base` must be a label set: sorted by name, names unique. */
  constructor(base: readonly Label[]) {
    this.base = base;
  }

  /** Starts over from a new base label set. */
  reset(base: readonly Label[]): void {
    this.base = base;
    this.added = undefined;
    this.deleted = undefined;
  }

  get(name: string): string {
    if (this.added) for (const label of this.added) if (label.name === name) return label.value;
    if (this.deleted?.has(name)) return "";
    for (const label of this.base) if (label.name === name) return label.value;
    return "";
  }

  has(name: string): boolean {
    return this.get(name) !== "";
  }

  set(name: string, value: string): void {
    if (value === "") {
      this.delete(name);
      return;
    }
    this.added ??= [];
    const index = this.added.findIndex((label) => label.name === name);
    if (index >= 0) this.added[index] = { name, value };
    else this.added.push({ name, value });
  }

  delete(name: string): void {
    (this.deleted ??= new Set()).add(name);
    if (!this.added) return;
    const index = this.added.findIndex((label) => label.name === name);
    if (index >= 0) this.added.splice(index, 1);
  }

  /** The current labels: base labels neither deleted nor overridden, then set labels in the order they were set. */
  snapshot(): Label[] {
    const added = this.added ?? NOTHING;
    const out: Label[] = [];
    for (const label of this.base) {
      if (this.deleted?.has(label.name)) continue;
      if (added.some((other) => other.name === label.name)) continue;
      out.push(label);
    }
    return added.length === 0 ? out : out.concat(added);
  }

  /** The current label set, sorted by name. */
  labels(): Label[] {
    // The base is a label set (sorted), so without additions no sort is needed.
    if (!this.added || this.added.length === 0) {
      const deleted = this.deleted;
      return deleted ? this.base.filter((label) => !deleted.has(label.name)) : this.base.slice();
    }
    return this.snapshot().sort(compareLabelNames);
  }
}
