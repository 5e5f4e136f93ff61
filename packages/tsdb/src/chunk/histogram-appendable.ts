import { CounterResetHeader } from "./histogram-layout";
import { bucketIndexes, customValuesEqual, spansEqual, type CounterResetHint, type Span } from "./histogram-types";

/**
 * Whether a histogram can go into the open chunk as it is, after Prometheus's `appendable` / `appendableGauge`.
 * A different bucket layout is reported as `layoutChange` (the append helpers then widen the layout, re-coding the
 * chunk as Prometheus does). Counter resets (fewer observations, a bucket going down or vanishing while it had
 * observations, an explicit hint) start a new chunk, whose header then says so.
 */
export interface AppendCheck {
  ok: boolean;
  /** Not appendable because the counter reset: the new chunk gets the CounterReset header. */
  counterReset: boolean;
  /** Why not (for errors and logs); "" when ok. */
  reason: string;
  /** Not appendable only because the bucket layout differs: widening the layout (re-coding) makes it fit. */
  layoutChange: boolean;
}

/** The last sample of the open chunk, as absolute counts, plus what the chunk fixes for all samples. */
export interface OpenHistogramState {
  numSamples: number;
  header: number;
  lastStale: boolean;
  schema: number;
  zeroThreshold: number;
  customValues: readonly number[];
  positiveSpans: readonly Span[];
  negativeSpans: readonly Span[];
  count: number;
  zeroCount: number;
  positiveAbsolute: readonly number[];
  negativeAbsolute: readonly number[];
}

/** The sample to append, with absolute bucket counts. */
export interface IncomingHistogram {
  counterResetHint: CounterResetHint;
  stale: boolean;
  schema: number;
  zeroThreshold: number;
  customValues: readonly number[] | undefined;
  positiveSpans: readonly Span[];
  negativeSpans: readonly Span[];
  count: number;
  zeroCount: number;
  positiveAbsolute: readonly number[];
  negativeAbsolute: readonly number[];
}

const OK: AppendCheck = { ok: true, counterReset: false, reason: "", layoutChange: false };
const no = (reason: string): AppendCheck => ({ ok: false, counterReset: false, reason, layoutChange: false });
const reset = (reason: string): AppendCheck => ({ ok: false, counterReset: true, reason, layoutChange: false });
const LAYOUT_CHANGE: AppendCheck = {
  ok: false,
  counterReset: false,
  reason: "bucket layout changed",
  layoutChange: true,
};

export function checkHistogramAppendable(open: OpenHistogramState, h: IncomingHistogram): AppendCheck {
  if (open.numSamples === 0) return OK;
  const gauge = h.counterResetHint === "gauge";
  if (gauge !== (open.header === CounterResetHeader.Gauge))
    return no("gauge and counter histograms never share a chunk");
  if (!gauge && h.counterResetHint === "counterReset") return reset("explicit counter reset hint");
  if (h.stale) return OK;
  if (open.lastStale) return no("a chunk takes only stale markers after a stale marker");
  if (!gauge && h.count < open.count) return reset("count went down");
  if (h.schema !== open.schema || h.zeroThreshold !== open.zeroThreshold) return no("schema or zero threshold changed");
  if (!customValuesEqual(h.customValues, open.customValues)) return no("custom bucket bounds changed");
  if (!gauge) {
    if (h.zeroCount < open.zeroCount) return reset("zero bucket went down");
    if (
      bucketsReset(open.positiveSpans, open.positiveAbsolute, h.positiveSpans, h.positiveAbsolute) ||
      bucketsReset(open.negativeSpans, open.negativeAbsolute, h.negativeSpans, h.negativeAbsolute)
    ) {
      return reset("a bucket went down or vanished");
    }
  }
  const layoutSame =
    (sameSpans(h.positiveSpans, open.positiveSpans) || spansEqual(h.positiveSpans, open.positiveSpans)) &&
    (sameSpans(h.negativeSpans, open.negativeSpans) || spansEqual(h.negativeSpans, open.negativeSpans));
  if (!layoutSame) return LAYOUT_CHANGE;
  return OK;
}

function bucketsReset(
  oldSpans: readonly Span[],
  oldCounts: readonly number[],
  newSpans: readonly Span[],
  newCounts: readonly number[],
): boolean {
  if (sameSpans(oldSpans, newSpans)) {
    // The common case: same layout, compare bucket by bucket.
    for (let i = 0; i < oldCounts.length; i++) if (newCounts[i] < oldCounts[i]) return true;
    return false;
  }
  const newByIndex = new Map<number, number>();
  bucketIndexes(newSpans).forEach((idx, i) => newByIndex.set(idx, newCounts[i]));
  const oldIndexes = bucketIndexes(oldSpans);
  for (let i = 0; i < oldIndexes.length; i++) {
    const current = newByIndex.get(oldIndexes[i]);
    if (current === undefined ? oldCounts[i] > 0 : current < oldCounts[i]) return true;
  }
  return false;
}

/** Identical span lists (a fast path; {@link spansEqual} also treats differently split spans as equal). */
function sameSpans(a: readonly Span[], b: readonly Span[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].offset !== b[i].offset || a[i].length !== b[i].length) return false;
  return true;
}
