import { customBoundsMatch } from "./arithmetic";
import { detectCounterReset } from "./reset";
import type { CounterResetHint, FloatHistogram } from "./types";
import { usesCustomBuckets } from "./types";

/** Prometheus's head cuts a chunk after this many samples (histogram chunks may also be cut by size). */
export const SAMPLES_PER_CHUNK = 120;

/**
 * The counter-reset hints Prometheus's TSDB returns when a series' histograms, appended in this order, are read back
 * (so that an in-memory store can behave like it): gauge histograms read as "gauge"; counter histograms read as
 * "notCounterReset" except the first histogram of each chunk, which reads as "unknown" (Prometheus does not trust a
 * stored hint across chunk boundaries, prometheus/prometheus#15346). A new chunk starts with the first histogram, on
 * a switch between gauge and counter, on a counter reset (explicit hint or detected), on a change of schema, zero
 * threshold or custom bounds, and after SAMPLES_PER_CHUNK histograms. Chunk cuts by byte size are not modelled.
 */
export function storedCounterResetHints(histograms: readonly FloatHistogram[]): CounterResetHint[] {
  const out: CounterResetHint[] = [];
  let inChunk = 0;
  let prev: FloatHistogram | undefined;
  for (const h of histograms) {
    const gauge = h.counterResetHint === "gauge";
    const newChunk =
      !prev ||
      (prev.counterResetHint === "gauge") !== gauge ||
      inChunk >= SAMPLES_PER_CHUNK ||
      h.schema !== prev.schema ||
      h.zeroThreshold !== prev.zeroThreshold ||
      usesCustomBuckets(h) !== usesCustomBuckets(prev) ||
      (usesCustomBuckets(h) && !customBoundsMatch(h.customValues, prev.customValues)) ||
      (!gauge &&
        (h.counterResetHint === "counterReset" || detectCounterReset({ ...h, counterResetHint: "unknown" }, prev)));
    inChunk = newChunk ? 1 : inChunk + 1;
    out.push(gauge ? "gauge" : newChunk ? "unknown" : "notCounterReset");
    prev = h;
  }
  return out;
}

/**
 * The hint Prometheus's HistogramStatsIterator gives a histogram when only count and sum are read (histogram_count,
 * histogram_sum, histogram_avg over sum, avg, rate, …): a known hint is kept; "unknown" is resolved by counter-reset
 * detection against the previous histogram the iterator read, to "counterReset" or "notCounterReset" (it stays
 * "unknown" for the first one). This is how PromQL can see conflicting hints in an aggregation.
 */
export function resolvedCounterResetHint(
  current: FloatHistogram,
  previous: FloatHistogram | undefined,
): CounterResetHint {
  if (current.counterResetHint !== "unknown" || !previous) return current.counterResetHint;
  return detectCounterReset(current, previous) ? "counterReset" : "notCounterReset";
}
