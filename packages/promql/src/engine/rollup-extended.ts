import { ABSENT, FLOAT } from "./types";
import type { RollupOutput, Window } from "./rollup";

/**
 * The `anchored` and `smoothed` range modifiers (Prometheus 3's experimental extended range selectors) for the float
 * functions that accept them. Anchored: the newest sample at or before the range start (within the lookback delta)
 * stands at the start, no extrapolation. Smoothed: the values at both range ends are interpolated linearly between
 * the neighbouring samples (held flat past the data), on counter-reset-corrected values for counters.
 */
export type ExtendedMode = "anchored" | "smoothed";

/** Index of the anchor sample (newest at or before the range start, within lookback), or -1. */
function anchorIndex(w: Window): number {
  const i = w.flo - 1;
  return i >= 0 && w.ft[i] > w.rangeStart - w.lookback ? i : -1;
}

export function anchoredRate(w: Window, out: RollupOutput, isCounter: boolean, isRate: boolean): number {
  if (w.fhi === w.flo) return ABSENT;
  const a = anchorIndex(w);
  const lo = a >= 0 ? a : w.flo;
  let result = w.fv[w.fhi - 1] - w.fv[lo];
  if (isCounter) {
    for (let i = lo + 1; i < w.fhi; i++) if (w.fv[i] < w.fv[i - 1]) result += w.fv[i - 1];
  }
  out.f = isRate ? result / (w.range / 1000) : result;
  return FLOAT;
}

export function anchoredCount(w: Window, out: RollupOutput, isReset: boolean): number {
  if (w.fhi === w.flo) return ABSENT;
  const a = anchorIndex(w);
  const lo = a >= 0 ? a : w.flo;
  let n = 0;
  for (let i = lo + 1; i < w.fhi; i++) {
    const prev = w.fv[i - 1];
    const cur = w.fv[i];
    if (isReset ? cur < prev : cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
  }
  out.f = n;
  return FLOAT;
}

export function smoothedRate(w: Window, out: RollupOutput, isCounter: boolean, isRate: boolean): number {
  const before = anchorIndex(w);
  const after = w.fhi < w.ft.length && w.ft[w.fhi] - w.rangeEnd <= w.lookback ? w.fhi : -1;
  if (w.fhi === w.flo && (before < 0 || after < 0)) return ABSENT;
  const lo = before >= 0 ? before : w.flo;
  const hi = after >= 0 ? after : w.fhi - 1;
  // Values corrected for counter resets, relative to index lo.
  const adj = new Float64Array(hi - lo + 1);
  let offset = 0;
  for (let i = lo; i <= hi; i++) {
    if (isCounter && i > lo && w.fv[i] < w.fv[i - 1]) offset += w.fv[i - 1];
    adj[i - lo] = w.fv[i] + offset;
  }
  const at = (i: number, t: number): number => {
    const t0 = w.ft[i];
    const t1 = w.ft[i + 1];
    const v0 = adj[i - lo];
    const v1 = adj[i + 1 - lo];
    return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
  };
  const startValue = before >= 0 ? at(before, w.rangeStart) : adj[0];
  const endValue = after >= 0 ? at(after - 1, w.rangeEnd) : adj[hi - lo];
  const result = endValue - startValue;
  out.f = isRate ? result / (w.range / 1000) : result;
  return FLOAT;
}
