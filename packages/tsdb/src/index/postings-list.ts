import type { Label } from "../labels/label";

/**
 * A growable ascending list of series ids in a Uint32Array: 4 bytes an entry instead of a JS array's 8 (or more), which
 * matters at 100k series × ~10 labels per shard.
 */
export class PostingsList {
  #ids: Uint32Array;
  #length = 0;
  /** The label pair this list is for, shared by every series that has it (one object instead of one per series). */
  readonly label: Label;

  constructor(label: Label, capacity = 2) {
    this.label = label;
    this.#ids = new Uint32Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Adds an id; ids normally arrive ascending (new series get growing ids), so this is an append. */
  add(id: number): void {
    if (this.#length === this.#ids.length) {
      const grown = new Uint32Array(Math.max(4, this.#ids.length * 2));
      grown.set(this.#ids);
      this.#ids = grown;
    }
    let i = this.#length;
    if (i > 0 && this.#ids[i - 1] >= id) {
      // Out-of-order insert (replay of out-of-order series definitions): keep the list sorted and unique.
      while (i > 0 && this.#ids[i - 1] > id) i--;
      if (i > 0 && this.#ids[i - 1] === id) return;
      this.#ids.copyWithin(i + 1, i, this.#length);
    }
    this.#ids[i] = id;
    this.#length++;
  }

  /** Removes every id for which `drop` is true. */
  removeWhere(drop: (id: number) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.#length; r++) {
      const id = this.#ids[r];
      if (!drop(id)) this.#ids[w++] = id;
    }
    this.#length = w;
  }

  /** A read-only view of the ids; valid until the next change. */
  view(): Uint32Array {
    return this.#ids.subarray(0, this.#length);
  }

  /** Bytes held, for memory statistics. */
  get byteLength(): number {
    return this.#ids.byteLength;
  }
}
