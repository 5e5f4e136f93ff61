import {
  combinedCounterResetHint,
  customBoundsMatch,
  histogramAdd,
  histogramDiv,
  histogramMul,
  sameBucketLayout,
} from "./arithmetic";
import { exponentialBound } from "./bounds";
import { spanBuckets, toSpans } from "./buckets";
import type { IndexedCount } from "./buckets";
import { kahanSumInc } from "../kahan";
import type { FloatHistogram, HistogramSpan } from "./types";
import { copyHistogram, makeHistogram, usesCustomBuckets } from "./types";

/** What adding one more histogram to an accumulator reported. */
export interface AccumulateNotes {
  /**
   * True on the one add at which both a counterReset and a notCounterReset hint have been seen among the inputs
   * (in any order, whatever came between): PromQL's warning "conflicting counter resets during histogram
   * aggregation", once per aggregation.
   */
  counterResetCollision: boolean;
  /** Custom bounds were reconciled (info "mismatched custom buckets were reconciled during aggregation"). */
  nhcbBoundsReconciled: boolean;
}

/** Remembers which explicit counter-reset hints an aggregation has seen. */
class ResetHintTracker {
  #reset = false;
  #notReset = false;

  /** Records the hint; true only when this hint makes the conflict appear. */
  conflictsWith(h: FloatHistogram): boolean {
    const before = this.#reset && this.#notReset;
    if (h.counterResetHint === "counterReset") this.#reset = true;
    if (h.counterResetHint === "notCounterReset") this.#notReset = true;
    return !before && this.#reset && this.#notReset;
  }
}

/**
 * A running sum of histograms with Kahan-Neumaier compensation in every field (count, sum, zero count, each bucket),
 * as PromQL's `sum` and `sum_over_time` compute it, so that adding 1e100 and then -1e100 does not wipe out the small
 * values. Schemas, zero buckets and custom bounds are reconciled exactly as by histogramAdd.
 */
export class HistogramKahanSum {
  #sum: FloatHistogram | undefined;
  #compensation: FloatHistogram | undefined;
  readonly #hints = new ResetHintTracker();

  /** @throws HistogramSchemaMixError when exponential and custom buckets meet. */
  add(h: FloatHistogram): AccumulateNotes {
    const counterResetCollision = this.#hints.conflictsWith(h);
    if (!this.#sum || !this.#compensation) {
      this.#sum = copyHistogram(h);
      this.#compensation = zerosLike(h);
      return { counterResetCollision, nhcbBoundsReconciled: false };
    }
    const step = kahanAdd(this.#sum, this.#compensation, h);
    this.#sum = step.sum;
    this.#compensation = step.compensation;
    return { counterResetCollision, nhcbBoundsReconciled: step.notes.nhcbBoundsReconciled };
  }

  /** The compensated sum, or undefined if nothing was added. */
  result(): FloatHistogram | undefined {
    if (!this.#sum || !this.#compensation) return undefined;
    return addAligned(this.#sum, this.#compensation);
  }
}

/**
 * A running mean of histograms as PromQL's `avg` and `avg_over_time` compute it: a compensated sum divided by the
 * number of histograms, switching to an incremental mean (also compensated) once the sum would overflow.
 */
export class HistogramMean {
  #count = 0;
  #value: FloatHistogram | undefined;
  #compensation: FloatHistogram | undefined;
  #incremental = false;
  readonly #hints = new ResetHintTracker();

  /** @throws HistogramSchemaMixError when exponential and custom buckets meet. */
  add(h: FloatHistogram): AccumulateNotes {
    this.#count++;
    const counterResetCollision = this.#hints.conflictsWith(h);
    if (!this.#value || !this.#compensation) {
      this.#value = copyHistogram(h);
      this.#compensation = zerosLike(h);
      return { counterResetCollision, nhcbBoundsReconciled: false };
    }
    const n = this.#count;
    if (!this.#incremental) {
      const step = kahanAdd(this.#value, this.#compensation, h);
      if (!hasInfinity(step.sum)) {
        this.#value = step.sum;
        this.#compensation = step.compensation;
        return { counterResetCollision, nhcbBoundsReconciled: step.notes.nhcbBoundsReconciled };
      }
      // The sum would overflow: continue with the mean of what was added so far.
      this.#incremental = true;
      this.#value = histogramDiv(this.#value, n - 1);
      this.#compensation = histogramDiv(this.#compensation, n - 1);
    }
    const q = (n - 1) / n;
    const step = kahanAdd(histogramMul(this.#value, q), histogramMul(this.#compensation, q), histogramDiv(h, n));
    this.#value = step.sum;
    this.#compensation = step.compensation;
    return { counterResetCollision, nhcbBoundsReconciled: step.notes.nhcbBoundsReconciled };
  }

  /** The mean, or undefined if nothing was added. */
  result(): FloatHistogram | undefined {
    if (!this.#value || !this.#compensation) return undefined;
    const total = addAligned(this.#value, this.#compensation);
    return this.#incremental ? total : histogramDiv(total, this.#count);
  }
}

function emptyLike(h: FloatHistogram): FloatHistogram {
  return makeHistogram({
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    customValues: h.customValues,
    counterResetHint: h.counterResetHint,
  });
}

/** All-zero counts in the same bucket layout: the compensation always mirrors the sum's layout. */
function zerosLike(h: FloatHistogram): FloatHistogram {
  const out = histogramMul(h, 0);
  out.positiveBuckets.fill(0);
  out.negativeBuckets.fill(0);
  out.count = 0;
  out.sum = 0;
  out.zeroCount = 0;
  return out;
}

function hasInfinity(h: FloatHistogram): boolean {
  const inf = (v: number): boolean => v === Infinity || v === -Infinity;
  return inf(h.count) || inf(h.sum) || inf(h.zeroCount) || h.positiveBuckets.some(inf) || h.negativeBuckets.some(inf);
}

/** `h` brought into the layout (schema, zero bucket, custom bounds) of `target`, which is at most as fine. */
function align(h: FloatHistogram, target: FloatHistogram): FloatHistogram {
  return histogramAdd(h, emptyLike(target)).histogram;
}

/**
 * One compensated step: sum + x with every field summed by kahanSumInc. The layout of the result is the one
 * histogramAdd(sum, x) reconciles to; sum, compensation and x are first brought into it. The compensation always
 * has exactly the bucket layout of the sum, which lets the common case (same schema, zero bucket and bounds) merge
 * the buckets in one pass.
 */
function kahanAdd(
  sum: FloatHistogram,
  compensation: FloatHistogram,
  x: FloatHistogram,
): { sum: FloatHistogram; compensation: FloatHistogram; notes: AccumulateNotes } {
  if (
    x.schema === sum.schema &&
    x.zeroThreshold === sum.zeroThreshold &&
    (!usesCustomBuckets(sum) || customBoundsMatch(sum.customValues, x.customValues))
  ) {
    return kahanAddSameLayout(sum, compensation, x);
  }
  const probe = histogramAdd(sum, x);
  const layout = probe.histogram;
  const s = align(sum, layout);
  const c = align(compensation, layout);
  const a = align(x, layout);
  const outSum = copyHistogram(layout);
  const outComp = emptyLike(layout);
  [outSum.count, outComp.count] = compensatedStep(s.count, c.count, a.count);
  [outSum.sum, outComp.sum] = compensatedStep(s.sum, c.sum, a.sum);
  [outSum.zeroCount, outComp.zeroCount] = compensatedStep(s.zeroCount, c.zeroCount, a.zeroCount);
  const side = (
    sSpans: FloatHistogram["positiveSpans"],
    sCounts: number[],
    cSpans: FloatHistogram["positiveSpans"],
    cCounts: number[],
    aSpans: FloatHistogram["positiveSpans"],
    aCounts: number[],
  ): { sums: ReturnType<typeof toSpans>; comps: ReturnType<typeof toSpans> } => {
    const indices = new Map<number, [number, number, number]>();
    const put = (entries: IndexedCount[], slot: 0 | 1 | 2): void => {
      for (const e of entries) {
        const v = indices.get(e.index) ?? [0, 0, 0];
        v[slot] += e.count;
        indices.set(e.index, v);
      }
    };
    put(spanBuckets(sSpans, sCounts), 0);
    put(spanBuckets(cSpans, cCounts), 1);
    put(spanBuckets(aSpans, aCounts), 2);
    const order = [...indices.keys()].sort((p, q) => p - q);
    const sums: IndexedCount[] = [];
    const comps: IndexedCount[] = [];
    for (const index of order) {
      const [sv, cv, xv] = indices.get(index)!;
      const [t, nc] = compensatedStep(sv, cv, xv);
      sums.push({ index, count: t });
      comps.push({ index, count: nc });
    }
    return { sums: toSpans(sums, true), comps: toSpans(comps, true) };
  };
  const pos = side(
    s.positiveSpans,
    s.positiveBuckets,
    c.positiveSpans,
    c.positiveBuckets,
    a.positiveSpans,
    a.positiveBuckets,
  );
  const neg = side(
    s.negativeSpans,
    s.negativeBuckets,
    c.negativeSpans,
    c.negativeBuckets,
    a.negativeSpans,
    a.negativeBuckets,
  );
  outSum.positiveSpans = pos.sums.spans;
  outSum.positiveBuckets = pos.sums.counts;
  outSum.negativeSpans = neg.sums.spans;
  outSum.negativeBuckets = neg.sums.counts;
  outComp.positiveSpans = pos.comps.spans;
  outComp.positiveBuckets = pos.comps.counts;
  outComp.negativeSpans = neg.comps.spans;
  outComp.negativeBuckets = neg.comps.counts;
  return {
    sum: outSum,
    compensation: outComp,
    notes: { counterResetCollision: probe.counterResetCollision, nhcbBoundsReconciled: probe.nhcbBoundsReconciled },
  };
}

function kahanAddSameLayout(
  sum: FloatHistogram,
  compensation: FloatHistogram,
  x: FloatHistogram,
): { sum: FloatHistogram; compensation: FloatHistogram; notes: AccumulateNotes } {
  const { hint, collision } = combinedCounterResetHint(sum.counterResetHint, x.counterResetHint);
  if (sameBucketLayout(sum, x)) {
    // Identical bucket layouts (the compensation shares the sum's): one compensated step per array element.
    const outSum = copyHistogram(sum);
    const outComp = copyHistogram(compensation);
    outSum.counterResetHint = hint;
    [outSum.count, outComp.count] = compensatedStep(sum.count, compensation.count, x.count);
    [outSum.sum, outComp.sum] = compensatedStep(sum.sum, compensation.sum, x.sum);
    [outSum.zeroCount, outComp.zeroCount] = compensatedStep(sum.zeroCount, compensation.zeroCount, x.zeroCount);
    for (let i = 0; i < outSum.positiveBuckets.length; i++) {
      [outSum.positiveBuckets[i], outComp.positiveBuckets[i]] = compensatedStep(
        sum.positiveBuckets[i],
        compensation.positiveBuckets[i] ?? 0,
        x.positiveBuckets[i],
      );
    }
    for (let i = 0; i < outSum.negativeBuckets.length; i++) {
      [outSum.negativeBuckets[i], outComp.negativeBuckets[i]] = compensatedStep(
        sum.negativeBuckets[i],
        compensation.negativeBuckets[i] ?? 0,
        x.negativeBuckets[i],
      );
    }
    return {
      sum: outSum,
      compensation: outComp,
      notes: { counterResetCollision: collision, nhcbBoundsReconciled: false },
    };
  }
  const outSum = makeHistogram({
    counterResetHint: hint,
    schema: sum.schema,
    zeroThreshold: sum.zeroThreshold,
    customValues: sum.customValues,
  });
  const outComp = emptyLike(outSum);
  [outSum.count, outComp.count] = compensatedStep(sum.count, compensation.count, x.count);
  [outSum.sum, outComp.sum] = compensatedStep(sum.sum, compensation.sum, x.sum);
  [outSum.zeroCount, outComp.zeroCount] = compensatedStep(sum.zeroCount, compensation.zeroCount, x.zeroCount);
  const side = (
    sSpans: HistogramSpan[],
    sCounts: number[],
    cCounts: number[],
    xSpans: HistogramSpan[],
    xCounts: number[],
  ): [ReturnType<typeof toSpans>, ReturnType<typeof toSpans>] => {
    const s = spanBuckets(sSpans, sCounts);
    let xs = spanBuckets(xSpans, xCounts);
    if (!usesCustomBuckets(sum) && sum.zeroThreshold > 0) {
      // As in histogramAdd: buckets of x inside the zero bucket are already in its zero count.
      let k = 0;
      while (k < xs.length && exponentialBound(xs[k].index, sum.schema) <= sum.zeroThreshold) k++;
      if (k > 0) xs = xs.slice(k);
    }
    const sums: IndexedCount[] = [];
    const comps: IndexedCount[] = [];
    let i = 0;
    let j = 0;
    while (i < s.length || j < xs.length) {
      if (j >= xs.length || (i < s.length && s[i].index < xs[j].index)) {
        sums.push(s[i]);
        comps.push({ index: s[i].index, count: cCounts[i] ?? 0 });
        i++;
      } else if (i >= s.length || xs[j].index < s[i].index) {
        sums.push(xs[j]);
        comps.push({ index: xs[j].index, count: 0 });
        j++;
      } else {
        const [t, nc] = compensatedStep(s[i].count, cCounts[i] ?? 0, xs[j].count);
        sums.push({ index: s[i].index, count: t });
        comps.push({ index: s[i].index, count: nc });
        i++;
        j++;
      }
    }
    return [toSpans(sums, true), toSpans(comps, true)];
  };
  const [pos, posComp] = side(
    sum.positiveSpans,
    sum.positiveBuckets,
    compensation.positiveBuckets,
    x.positiveSpans,
    x.positiveBuckets,
  );
  const [neg, negComp] = side(
    sum.negativeSpans,
    sum.negativeBuckets,
    compensation.negativeBuckets,
    x.negativeSpans,
    x.negativeBuckets,
  );
  outSum.positiveSpans = pos.spans;
  outSum.positiveBuckets = pos.counts;
  outSum.negativeSpans = neg.spans;
  outSum.negativeBuckets = neg.counts;
  outComp.positiveSpans = posComp.spans;
  outComp.positiveBuckets = posComp.counts;
  outComp.negativeSpans = negComp.spans;
  outComp.negativeBuckets = negComp.counts;
  return {
    sum: outSum,
    compensation: outComp,
    notes: { counterResetCollision: collision, nhcbBoundsReconciled: false },
  };
}

const KAHAN_SCRATCH = new Float64Array(1);

/** One kahanSumInc step on a sum and its compensation: [new sum, new compensation]. */
function compensatedStep(sum: number, compensation: number, x: number): [number, number] {
  KAHAN_SCRATCH[0] = compensation;
  const t = kahanSumInc(x, sum, KAHAN_SCRATCH);
  return [t, KAHAN_SCRATCH[0]];
}

/** value + compensation, field by field, keeping the value's counter-reset hint. */
function addAligned(value: FloatHistogram, compensation: FloatHistogram): FloatHistogram {
  const out = histogramAdd(value, compensation).histogram;
  out.counterResetHint = value.counterResetHint;
  return out;
}
