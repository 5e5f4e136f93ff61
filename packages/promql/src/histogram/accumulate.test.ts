import { describe, expect, it } from "vitest";
import { HistogramKahanSum, HistogramMean } from "./accumulate";
import { HistogramSchemaMixError } from "./errors";
import { parseHistogram } from "./notation";

const h = parseHistogram;

describe("HistogramKahanSum", () => {
  it("keeps small values next to cancelling huge ones", () => {
    const sum = new HistogramKahanSum();
    for (const text of [
      "{{count:1 sum:1e100 buckets:[1e100]}}",
      "{{count:1 sum:1 buckets:[1]}}",
      "{{count:1 sum:-1e100 buckets:[-1e100]}}",
    ]) {
      sum.add(h(text));
    }
    const r = sum.result()!;
    expect([r.count, r.sum, r.positiveBuckets[0]]).toEqual([3, 1, 1]);
  });

  it("reconciles layouts like histogramAdd and reports hint conflicts", () => {
    const sum = new HistogramKahanSum();
    expect(sum.result()).toBeUndefined();
    sum.add(h("{{schema:1 count:2 buckets:[1 1] offset:1 counter_reset_hint:reset}}"));
    const notes = sum.add(h("{{schema:0 count:1 buckets:[1] offset:1 counter_reset_hint:not_reset}}"));
    expect(notes.counterResetCollision).toBe(true);
    const r = sum.result()!;
    expect(r.schema).toBe(0);
    expect(r.positiveBuckets).toEqual([3]);
    expect(() => sum.add(h("{{schema:-53}}"))).toThrow(HistogramSchemaMixError);
  });
});

describe("conflicting counter-reset hints", () => {
  it("are reported once, when both reset and not_reset have been seen, whatever lies between", () => {
    const sum = new HistogramKahanSum();
    const seen = ["reset", "gauge", "unknown", "not_reset", "reset", "not_reset"].map(
      (hint) => sum.add(h(`{{count:1 counter_reset_hint:${hint}}}`)).counterResetCollision,
    );
    expect(seen).toEqual([false, false, false, true, false, false]);
    const mean = new HistogramMean();
    expect(mean.add(h("{{count:1 counter_reset_hint:not_reset}}")).counterResetCollision).toBe(false);
    expect(mean.add(h("{{count:1 counter_reset_hint:reset}}")).counterResetCollision).toBe(true);
  });
});

describe("HistogramMean", () => {
  it("divides the compensated sum by the count", () => {
    const mean = new HistogramMean();
    for (const text of ["{{count:1 sum:1e100}}", "{{count:2 sum:3}}", "{{count:3 sum:-1e100}}"]) mean.add(h(text));
    const r = mean.result()!;
    expect(r.count).toBe(2);
    expect(r.sum).toBe(1);
  });

  it("switches to an incremental mean instead of overflowing", () => {
    const mean = new HistogramMean();
    mean.add(h("{{count:1.5e308 sum:1}}"));
    mean.add(h("{{count:1.5e308 sum:3}}"));
    mean.add(h("{{count:0 sum:5}}"));
    const r = mean.result()!;
    expect(r.count).toBeCloseTo(1e308, -300);
    expect(r.sum).toBeCloseTo(3, 12);
  });
});
