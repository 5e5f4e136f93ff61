import type { Label } from "./label";

/**
 * A mutable view over a label set with Prometheus's `labels.Builder` semantics, which relabeling depends on:
 * setting an empty value deletes the label, and `snapshot()` lists untouched base labels (sorted) first, then
 * labels set since, in the order they were set. That order decides which source wins when `labelmap` maps two
 * labels to one name.
 */
export class LabelBuilder {
  private base: readonly Label[];
  private added: Label[] = [];
  private deleted = new Set<string>();

  constructor(base: readonly Label[]) {
    this.base = base;
  }

  /** Starts over from a new base label set. */
  reset(base: readonly Label[]): void {
    this.base = base;
    this.added = [];
    this.deleted.clear();
  }

  get(name: string): string {
    for (const label of this.added) if (label.name === name) return label.value;
    if (this.deleted.has(name)) return "";
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
    const index = this.added.findIndex((label) => label.name === name);
    if (index >= 0) this.added[index] = { name, value };
    else this.added.push({ name, value });
  }

  delete(name: string): void {
    this.deleted.add(name);
    const index = this.added.findIndex((label) => label.name === name);
    if (index >= 0) this.added.splice(index, 1);
  }

  /** The current labels: base labels neither deleted nor overridden, then set labels in the order they were set. */
  snapshot(): Label[] {
    const out: Label[] = [];
    for (const label of this.base) {
      if (this.deleted.has(label.name)) continue;
      if (this.added.some((added) => added.name === label.name)) continue;
      out.push(label);
    }
    return out.concat(this.added);
  }

  /** The current label set, sorted by name. */
  labels(): Label[] {
    return this.snapshot().sort(compareByName);
  }
}

function compareByName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
