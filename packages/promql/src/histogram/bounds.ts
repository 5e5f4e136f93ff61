import { EXPONENTIAL_SCHEMA_MAX } from "./types";

/** x * 2^exp without overflowing or underflowing in the intermediate power of two. */
export function ldexp(x: number, exp: number): number {
  let e = exp;
  let v = x;
  while (e > 1023) {
    v *= 2 ** 1023;
    e -= 1023;
    if (!Number.isFinite(v)) return v;
  }
  while (e < -1022) {
    v *= 2 ** -1022;
    e += 1022;
    if (v === 0) return v;
  }
  return v * 2 ** e;
}

// For schema s > 0, the mantissas (in [0.5, 1)) of the 2^s bucket boundaries within one power of two.
const EXPONENTIAL_FRACTIONS: number[][] = [];
for (let s = 0; s <= EXPONENTIAL_SCHEMA_MAX; s++) {
  const n = 1 << s;
  const row: number[] = [];
  for (let j = 0; j < n; j++) row.push(j === 0 ? 0.5 : 0.5 * 2 ** (j / n));
  EXPONENTIAL_FRACTIONS.push(row);
}

/**
 * The upper boundary of the positive exponential bucket with this index (the lower boundary is that of index - 1).
 * The bucket holding Number.MAX_VALUE ends at MAX_VALUE rather than at the overflowing power, so that the next bucket
 * (up to +Inf) counts only observations of +Inf.
 */
export function exponentialBound(index: number, schema: number): number {
  if (schema < 0) {
    const exp = index * 2 ** -schema;
    if (exp === 1024) return Number.MAX_VALUE;
    return ldexp(1, exp);
  }
  const fracIndex = index & ((1 << schema) - 1);
  const frac = EXPONENTIAL_FRACTIONS[schema][fracIndex];
  const exp = (index >> schema) + 1;
  if (frac === 0.5 && exp === 1025) return Number.MAX_VALUE;
  return ldexp(frac, exp);
}

/** Upper boundary of custom bucket `index`: the custom value, or +Inf for the overflow bucket. */
export function customUpperBound(index: number, customValues: readonly number[]): number {
  return index < customValues.length ? customValues[index] : Infinity;
}

/** Lower boundary of custom bucket `index`: the previous custom value, or -Inf for the first bucket. */
export function customLowerBound(index: number, customValues: readonly number[]): number {
  return index <= 0 ? -Infinity : customValues[Math.min(index, customValues.length) - 1];
}

/**
 * The bucket index in `targetSchema` (lower resolution) that contains bucket `index` of `originSchema`. Buckets of a
 * schema are halves of the buckets of the schema one lower, with 1 always a boundary.
 */
export function targetIndex(index: number, originSchema: number, targetSchema: number): number {
  return ((index - 1) >> (originSchema - targetSchema)) + 1;
}

/**
 * The index of the positive exponential bucket that holds the value v > 0 (the inverse of exponentialBound), used
 * when building histograms from observations in tests and when trimming.
 */
export function exponentialBucketIndex(v: number, schema: number): number {
  if (v === Infinity) return exponentialBucketIndex(Number.MAX_VALUE, schema) + 1;
  // Start from a log estimate and correct it against the exact boundaries, which are what matter.
  let i = Math.ceil(Math.log2(v) * 2 ** schema);
  if (!Number.isFinite(i)) i = 0;
  while (exponentialBound(i - 1, schema) >= v) i--;
  while (exponentialBound(i, schema) < v) i++;
  return i;
}
