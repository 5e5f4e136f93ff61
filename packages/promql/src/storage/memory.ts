import { storedCounterResetHints } from "../histogram/hints";
import type { FloatHistogram } from "../histogram/types";
import type { Queryable, SelectHints, Series } from "../storage";
import { labelsKey, type LabelMatcher, type Labels } from "../value";
import { compileMatcher, matchesAll } from "./matcher";

export class OutOfOrderSampleError extends Error {
  override readonly name = "OutOfOrderSampleError";
}

interface StoredSeries {
  labels: Labels;
  ft: Float64Array;
  fv: Float64Array;
  fst: Float64Array | null;
  fn: number;
  ht: number[];
  hv: FloatHistogram[];
  hst: number[] | null;
  /** Last timestamp appended, of either kind, to refuse out-of-order appends as a TSDB without OOO window does. */
  last: number;
  /** The histograms as the TSDB would read them back (counter-reset hints per chunk), computed on demand. */
  readBack: FloatHistogram[] | null;
}

/** An in-memory, append-only store of float and histogram series: the storage of promqltest and of unit tests. */
export class MemoryStorage implements Queryable {
  readonly #series = new Map<string, StoredSeries>();

  #get(labels: Labels): StoredSeries {
    const key = labelsKey(labels);
    let s = this.#series.get(key);
    if (!s) {
      s = {
        labels,
        ft: new Float64Array(16),
        fv: new Float64Array(16),
        fst: null,
        fn: 0,
        ht: [],
        hv: [],
        hst: null,
        last: -Infinity,
        readBack: null,
      };
      this.#series.set(key, s);
    }
    return s;
  }

  /** Appends a float sample (a stale marker is a float). `st` is the sample's start timestamp, if known. */
  appendFloat(labels: Labels, t: number, v: number, st?: number): void {
    const s = this.#get(labels);
    if (t <= s.last) throw new OutOfOrderSampleError(`out of order sample at ${t} for series ${labelsKey(labels)}`);
    s.last = t;
    if (s.fn === s.ft.length) {
      const ft = new Float64Array(s.fn * 2);
      ft.set(s.ft);
      s.ft = ft;
      const fv = new Float64Array(s.fn * 2);
      fv.set(s.fv);
      s.fv = fv;
      if (s.fst) {
        const fst = new Float64Array(s.fn * 2);
        fst.set(s.fst);
        s.fst = fst;
      }
    }
    if (st !== undefined && !s.fst) s.fst = new Float64Array(s.ft.length).fill(NaN);
    s.ft[s.fn] = t;
    s.fv[s.fn] = v;
    if (s.fst) s.fst[s.fn] = st ?? NaN;
    s.fn++;
  }

  appendHistogram(labels: Labels, t: number, h: FloatHistogram, st?: number): void {
    const s = this.#get(labels);
    if (t <= s.last) throw new OutOfOrderSampleError(`out of order sample at ${t} for series ${labelsKey(labels)}`);
    s.last = t;
    if (st !== undefined && !s.hst) s.hst = s.ht.map(() => NaN);
    s.ht.push(t);
    s.hv.push(h);
    s.readBack = null;
    if (s.hst) s.hst.push(st ?? NaN);
  }

  clear(): void {
    this.#series.clear();
  }

  async select(hints: SelectHints, matchers: readonly LabelMatcher[]): Promise<Series[]> {
    const compiled = matchers.map(compileMatcher);
    const out: Series[] = [];
    for (const s of this.#series.values()) {
      if (!matchesAll(s.labels, compiled)) continue;
      const lo = lowerBound(s.ft, s.fn, hints.start);
      const hi = lowerBound(s.ft, s.fn, hints.end + 1);
      let hlo = 0;
      while (hlo < s.ht.length && s.ht[hlo] < hints.start) hlo++;
      let hhi = hlo;
      while (hhi < s.ht.length && s.ht[hhi] <= hints.end) hhi++;
      if (hi === lo && hhi === hlo) continue;
      out.push({
        labels: s.labels,
        floats: {
          t: s.ft.subarray(lo, hi),
          v: s.fv.subarray(lo, hi),
          ...(s.fst ? { st: s.fst.subarray(lo, hi) } : {}),
        },
        ...(hhi > hlo
          ? {
              histograms: {
                t: Float64Array.from(s.ht.slice(hlo, hhi)),
                h: readBack(s).slice(hlo, hhi),
                ...(s.hst ? { st: Float64Array.from(s.hst.slice(hlo, hhi)) } : {}),
              },
            }
          : {}),
      });
    }
    return out;
  }
}

/**
 * Prometheus's TSDB does not return the counter-reset hints that were appended: it returns what its chunk layout
 * implies (the histogram package models that), so this store does the same.
 */
function readBack(s: StoredSeries): FloatHistogram[] {
  if (!s.readBack) {
    const hints = storedCounterResetHints(s.hv);
    s.readBack = s.hv.map((h, i) => (h.counterResetHint === hints[i] ? h : { ...h, counterResetHint: hints[i] }));
  }
  return s.readBack;
}

function lowerBound(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
