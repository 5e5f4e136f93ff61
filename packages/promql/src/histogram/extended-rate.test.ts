import { describe, expect, it } from "vitest";
import { histogramExtendedDelta } from "./extended-rate";
import type { HistogramPoint } from "./extended-rate";
import { parseHistogram } from "./notation";

const s = 1000;
const points = (step: number, ...texts: string[]): HistogramPoint[] =>
  texts.map((text, i) => ({ t: i * step * s, h: parseHistogram(text) }));
const counts = (...cs: number[]): string[] => cs.map((c) => `{{count:${c} sum:${c} buckets:[${c}] offset:1}}`);

// Cases and expected values from extended_vectors.test (the comments there derive them).
describe("histogramExtendedDelta", () => {
  const hist = points(15, ...counts(1, 2, 3, 4, 5, 6, 7, 8));

  it("anchors the left end at the last sample at or before the range start", () => {
    // increase(hist_counter[1m] anchored) at 50s: 4 (t=45) − 1 (t=0).
    const r = histogramExtendedDelta(hist.slice(0, 4), -10 * s, 50 * s, false, true);
    expect(r.histogram?.count).toBe(3);
    expect(r.histogram?.counterResetHint).toBe("gauge");
    expect(r.notes).toEqual([]);
  });

  it("interpolates the ends when smoothed", () => {
    // At 50s the right end lies a third of the way from 4 (45s) to 5 (60s).
    const r = histogramExtendedDelta(hist.slice(0, 5), -10 * s, 50 * s, true, true);
    expect(r.histogram?.count).toBeCloseTo(10 / 3, 12);
    // At 5s both ends come from the samples at 0s and 15s: 1 → 1 + 1/3.
    expect(histogramExtendedDelta(hist.slice(0, 2), -55 * s, 5 * s, true, true).histogram?.count).toBeCloseTo(
      1 / 3,
      12,
    );
  });

  it("adds back what was there before resets inside the range", () => {
    // reset_custom_hist: 1, 4, 1 (reset), 3 every 30s, anchored [90s] at 90s: 3 − 1 + 4.
    const custom = points(
      30,
      "{{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1]}}",
      "{{schema:-53 sum:4 count:4 custom_values:[5 10] buckets:[4]}}",
      "{{schema:-53 sum:1 count:1 custom_values:[5 10] buckets:[1] counter_reset_hint:reset}}",
      "{{schema:-53 sum:3 count:3 custom_values:[5 10] buckets:[3]}}",
    );
    expect(histogramExtendedDelta(custom, 0, 90 * s, false, true).histogram?.count).toBe(6);
  });

  it("sees a reset at the right end without counting the last sample twice", () => {
    // anchored_reset_at_end: 5, 10, 3 (reset) every 30s, [70s] at 70s: 3 − 5 + 10.
    const r = points(30, ...counts(5, 10), "{{count:3 sum:3 buckets:[3] offset:1 counter_reset_hint:reset}}");
    expect(histogramExtendedDelta(r, 0, 70 * s, false, true).histogram?.count).toBe(8);
    // anchored_two_sample_reset: 5, 3 (reset), [30s] at 30s: 3 − 5 + 5.
    const two = points(30, ...counts(5), "{{count:3 sum:3 buckets:[3] offset:1 counter_reset_hint:reset}}");
    expect(histogramExtendedDelta(two, 0, 30 * s, false, true).histogram?.count).toBe(3);
  });

  it("does not count a reset twice when both ends are interpolated across it", () => {
    // smoothed_two_sample_both_interp: 10 at 0s, 5 (reset) at 20s; [10s] at 15s: 5·0.75 − 5·0.25.
    const r = points(20, ...counts(10), "{{count:5 sum:5 buckets:[5] offset:1 counter_reset_hint:reset}}");
    expect(histogramExtendedDelta(r, 5 * s, 15 * s, true, true).histogram?.count).toBeCloseTo(2.5, 12);
  });

  it("reports flavour and schema problems", () => {
    const gaugeInside = points(30, ...counts(1), "{{count:2 counter_reset_hint:gauge}}", ...counts(3));
    expect(histogramExtendedDelta(gaugeInside, 0, 90 * s, false, true).notes).toEqual(["notCounter"]);
    expect(histogramExtendedDelta(hist.slice(0, 4), -10 * s, 50 * s, false, false).notes).toEqual(["notGauge"]);
    const mixed = points(30, ...counts(1), "{{schema:-53 count:2}}");
    const r = histogramExtendedDelta(mixed, -1, 30 * s, false, true);
    expect(r.histogram).toBeUndefined();
    expect(r.notes).toEqual(["mixedExponentialCustom"]);
  });

  it("gives nothing without a sample in the range", () => {
    expect(histogramExtendedDelta(hist.slice(0, 1), 0, 60 * s, false, true).histogram).toBeUndefined();
    expect(histogramExtendedDelta([], 0, 60 * s, false, true).histogram).toBeUndefined();
  });
});
