import { describe, expect, it } from "vitest";
import { firstInOrder } from "./first-in-order";

/** topk's order over values: descending, NaN last, as the engine compares. */
function byValueDesc(values: readonly number[]) {
  return (a: number, b: number): number => {
    const va = values[a]!;
    const vb = values[b]!;
    if (Number.isNaN(va)) return Number.isNaN(vb) ? 0 : 1;
    if (Number.isNaN(vb)) return -1;
    return vb - va;
  };
}

describe("firstInOrder", () => {
  it("equals the first k of a stable sort, ties and NaN included", () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(random() * 60);
      // Few distinct values, so ties are common, and some NaN.
      const values = Array.from({ length: n }, () => (random() < 0.1 ? NaN : Math.floor(random() * 8)));
      const order = byValueDesc(values);
      const items = Array.from({ length: n }, (_, i) => i);
      for (const k of [1, 2, 5, n, n + 3]) {
        const expected = [...items].sort(order).slice(0, k);
        expect(firstInOrder([...items], k, order)).toEqual(expected);
      }
    }
  });

  it("gives nothing for an empty input", () => {
    expect(firstInOrder([], 3, (a, b) => a - b)).toEqual([]);
  });
});
