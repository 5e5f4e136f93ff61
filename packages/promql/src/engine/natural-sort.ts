/** Natural ordering (digit runs compare as numbers), as Prometheus's sort_by_label uses. */
export function naturalLess(a: string, b: string): boolean {
  const ca = chunks(a);
  const cb = chunks(b);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i];
    const y = cb[i];
    if (x === y) continue;
    const xd = /^\d+$/.test(x);
    const yd = /^\d+$/.test(y);
    if (xd && yd) {
      const xn = BigInt(x);
      const yn = BigInt(y);
      if (xn !== yn) return xn < yn;
      continue;
    }
    return x < y;
  }
  return ca.length < cb.length;
}

function chunks(s: string): string[] {
  return s.match(/\d+|\D+/g) ?? [];
}
