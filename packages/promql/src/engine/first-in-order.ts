/**
 * The first `k` of `items` in a stable sort by `order`. A small k among many (topk(5, ...) at every step) keeps a
 * sorted buffer of k instead of sorting everything: O(n·k) rather than O(n log n), with the same ties (earlier first).
 */
export function firstInOrder(items: number[], k: number, order: (a: number, b: number) => number): number[] {
  if (k * 4 >= items.length) return items.sort(order).slice(0, k);
  const best: number[] = [];
  for (const item of items) {
    if (best.length === k && order(item, best[k - 1]) >= 0) continue;
    // After every element that is not strictly behind it: ties keep their input order, as a stable sort does.
    let at = best.length;
    while (at > 0 && order(item, best[at - 1]) < 0) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}
