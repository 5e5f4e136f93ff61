/** The φ-quantile of `values` by linear interpolation between closest ranks (sorts `values` in place, NaN first). */
export function quantile(q: number, values: Float64Array | number[]): number {
  const n = values.length;
  if (n === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  sortFloatsNaNFirst(values);
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower] * (1 - weight) + values[upper] * weight;
}

export function sortFloatsNaNFirst(values: Float64Array | number[]): void {
  // Float64Array.prototype.sort orders NaN last; Go's slices.Sort orders NaN first.
  if (values instanceof Float64Array) {
    values.sort();
    let nans = 0;
    for (let i = values.length - 1; i >= 0 && Number.isNaN(values[i]); i--) nans++;
    if (nans > 0) {
      values.copyWithin(nans, 0, values.length - nans);
      values.fill(NaN, 0, nans);
    }
  } else {
    values.sort((a, b) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b));
  }
}
