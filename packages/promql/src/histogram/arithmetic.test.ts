import { describe, expect, it } from "vitest";
import { histogramAdd, histogramDiv, histogramMul, histogramNeg, histogramSub } from "./arithmetic";
import { histogramsMatch } from "./compare";
import { HistogramSchemaMixError } from "./errors";
import { formatHistogram, parseHistogram } from "./notation";
import type { FloatHistogram } from "./types";

const h = parseHistogram;

function expectMatch(actual: FloatHistogram, expected: string): void {
  const exp = h(expected);
  if (!histogramsMatch(exp, actual)) {
    expect(formatHistogram(actual)).toBe(formatHistogram(exp));
  }
}

describe("histogramAdd", () => {
  it("adds counts, sums and matching buckets, keeping buckets only one side has", () => {
    // native_histograms.test: {{schema:0 sum:4 count:4 buckets:[1 2 1]}}+{{sum:2 count:1 buckets:[1] offset:1}}x10
    // reaches {{count:14 sum:24 buckets:[1 12 1]}} after ten additions.
    let acc = h("{{schema:0 sum:4 count:4 buckets:[1 2 1]}}");
    const inc = h("{{sum:2 count:1 buckets:[1] offset:1}}");
    for (let i = 0; i < 10; i++) acc = histogramAdd(acc, inc).histogram;
    expectMatch(acc, "{{count:14 sum:24 buckets:[1 12 1]}}");
  });

  it("inserts buckets before, between and after the existing ones", () => {
    const a = h("{{count:2 sum:3 buckets:[1] offset:2}}");
    const b = h("{{count:3 sum:1 buckets:[1 0 0 0 1] offset:-1}}");
    const sum = histogramAdd(a, histogramAdd(b, h("{{count:1 buckets:[1] offset:6}}")).histogram).histogram;
    // indices: -1:1, 2:1, 3:1, 6:1
    expect(formatHistogram(sum)).toBe("{{count:6 sum:4 offset:-1 buckets:[1 0 0 1 1 0 0 1]}}");
  });

  it("reduces the finer schema to the coarser one", () => {
    // native_histograms.test "low_res_histogram": schema 0 buckets (1,2] and (2,4] both fall into schema -1's (1,4].
    const r = histogramAdd(
      h("{{schema:-1 sum:4 count:1 buckets:[1] offset:1}}"),
      h("{{schema:0 sum:4 count:4 buckets:[2 2] offset:1}}"),
    ).histogram;
    expectMatch(r, "{{schema:-1 count:5 sum:8 offset:1 buckets:[5]}}");
    // Same result with the finer operand on the left.
    const l = histogramAdd(
      h("{{schema:0 sum:4 count:4 buckets:[2 2] offset:1}}"),
      h("{{schema:-1 sum:4 count:1 buckets:[1] offset:1}}"),
    ).histogram;
    expectMatch(l, "{{schema:-1 count:5 sum:8 offset:1 buckets:[5]}}");
  });

  it("merges negative buckets across schemas too", () => {
    // schema 1 negative indices 1..4 = [-√2,-1), [-2,-√2), [-2√2,-2), [-4,-2√2) → schema 0 indices 1 and 2.
    const r = histogramAdd(
      h("{{schema:0 count:1 n_buckets:[1] n_offset:1}}"),
      h("{{schema:1 count:4 n_buckets:[1 1 1 1] n_offset:1}}"),
    ).histogram;
    expectMatch(r, "{{schema:0 count:5 n_offset:1 n_buckets:[3 2]}}");
  });

  it("widens the narrower zero bucket and folds the buckets inside it", () => {
    // a: zero bucket [-0.25,0.25]:1, (0.25,0.5]:3, (0.5,1]:4. b's zero bucket is [-0.5,0.5]:2, so a's (0.25,0.5]
    // moves into the zero bucket: 1+3+2 = 6.
    const a = h("{{z_bucket_w:0.25 z_bucket:1 count:8 buckets:[3 4] offset:-1}}");
    const b = h("{{z_bucket_w:0.5 z_bucket:2 count:7 buckets:[5] offset:1}}");
    const expected = "{{z_bucket_w:0.5 z_bucket:6 count:15 buckets:[4 5]}}";
    expectMatch(histogramAdd(a, b).histogram, expected);
    expectMatch(histogramAdd(b, a).histogram, expected);
  });

  it("moves the zero threshold to the end of a populated bucket it would cut", () => {
    // Threshold 0.7 cuts (0.5,1]:2, so the zero bucket grows to 1 and takes the whole bucket: 1 + 2 + 1.
    const a = h("{{z_bucket:1 count:5 buckets:[2 2]}}");
    const b = h("{{z_bucket_w:0.7 z_bucket:1 count:1}}");
    expectMatch(histogramAdd(a, b).histogram, "{{z_bucket_w:1 z_bucket:4 count:6 offset:1 buckets:[2]}}");
    expectMatch(histogramAdd(b, a).histogram, "{{z_bucket_w:1 z_bucket:4 count:6 offset:1 buckets:[2]}}");
  });

  it("adds custom buckets with equal bounds bucket by bucket", () => {
    const r = histogramAdd(
      h("{{schema:-53 custom_values:[1 2] count:3 sum:2 buckets:[1 2]}}"),
      h("{{schema:-53 custom_values:[1 2] count:4 sum:9 buckets:[1] offset:2}}"),
    );
    expect(r.nhcbBoundsReconciled).toBe(false);
    expectMatch(r.histogram, "{{schema:-53 custom_values:[1 2] count:7 sum:11 buckets:[1 2 1]}}");
  });

  it("maps different custom bounds onto the bounds both share", () => {
    // Shared bounds [2 5]. a: ≤1→≤2, ≤2→≤2, ≤5→≤5, +Inf→+Inf gives [3 3 4]; b: ≤2, ≤5, ≤10→+Inf, +Inf gives [10 20 70].
    const r = histogramAdd(
      h("{{schema:-53 custom_values:[1 2 5] count:10 sum:1 buckets:[1 2 3 4]}}"),
      h("{{schema:-53 custom_values:[2 5 10] count:100 sum:2 buckets:[10 20 30 40]}}"),
    );
    expect(r.nhcbBoundsReconciled).toBe(true);
    expectMatch(r.histogram, "{{schema:-53 custom_values:[2 5] count:110 sum:3 buckets:[13 23 74]}}");
  });

  it("puts everything into the overflow bucket when no custom bound is shared", () => {
    const r = histogramAdd(
      h("{{schema:-53 custom_values:[1] count:3 buckets:[1 2]}}"),
      h("{{schema:-53 custom_values:[3] count:1 buckets:[1]}}"),
    );
    expectMatch(r.histogram, "{{schema:-53 count:4 buckets:[4]}}");
    expect(r.histogram.customValues).toEqual([]);
  });

  it("refuses to mix exponential and custom buckets", () => {
    expect(() => histogramAdd(h("{{schema:-53 custom_values:[1]}}"), h("{{schema:0}}"))).toThrow(
      HistogramSchemaMixError,
    );
    expect(() => histogramSub(h("{{schema:0}}"), h("{{schema:-53}}"))).toThrow(HistogramSchemaMixError);
  });

  it("combines counter-reset hints as Prometheus does", () => {
    const withHint = (hint: string): FloatHistogram => h(`{{count:1 counter_reset_hint:${hint}}}`);
    const hintOf = (a: string, b: string) => {
      const r = histogramAdd(withHint(a), withHint(b));
      return [r.histogram.counterResetHint, r.counterResetCollision];
    };
    expect(hintOf("gauge", "gauge")).toEqual(["gauge", false]);
    expect(hintOf("reset", "gauge")).toEqual(["gauge", false]);
    expect(hintOf("not_reset", "not_reset")).toEqual(["notCounterReset", false]);
    expect(hintOf("unknown", "reset")).toEqual(["unknown", false]);
    expect(hintOf("reset", "not_reset")).toEqual(["unknown", true]);
  });

  it("leaves its operands unchanged", () => {
    const a = h("{{schema:1 z_bucket_w:0.1 z_bucket:1 count:3 buckets:[1 1]}}");
    const b = h("{{schema:0 z_bucket_w:0.5 z_bucket:1 count:2 buckets:[1]}}");
    const before = [formatHistogram(a), formatHistogram(b)];
    histogramAdd(a, b);
    histogramSub(b, a);
    expect([formatHistogram(a), formatHistogram(b)]).toEqual(before);
  });
});

describe("histogramSub", () => {
  it("subtracts matching buckets and keeps the resulting zeros until compaction", () => {
    const r = histogramSub(h("{{count:5 sum:10 buckets:[1 2 2]}}"), h("{{count:2 sum:4 buckets:[1 1]}}")).histogram;
    expect(r.positiveBuckets).toEqual([0, 1, 2]);
    expectMatch(r, "{{count:3 sum:6 offset:1 buckets:[1 2]}}");
  });

  it("produces negative buckets for buckets only the right side has", () => {
    const r = histogramSub(h("{{count:1 buckets:[1]}}"), h("{{count:2 buckets:[2] offset:3}}")).histogram;
    expectMatch(r, "{{count:-1 buckets:[1 0 0 -2]}}");
  });
});

describe("scalar arithmetic", () => {
  const base = h("{{schema:0 count:4 sum:6 z_bucket:1 z_bucket_w:0.01 buckets:[1 1] n_buckets:[1]}}");

  it("multiplies every count and the sum", () => {
    expectMatch(
      histogramMul(base, 2.5),
      "{{count:10 sum:15 z_bucket:2.5 z_bucket_w:0.01 buckets:[2.5 2.5] n_buckets:[2.5]}}",
    );
    expect(histogramMul(h("{{count:1 counter_reset_hint:not_reset}}"), 2).counterResetHint).toBe("notCounterReset");
    expect(histogramMul(h("{{count:1 counter_reset_hint:not_reset}}"), -2).counterResetHint).toBe("gauge");
  });

  it("divides, and division by zero leaves no buckets", () => {
    expectMatch(
      histogramDiv(base, 4),
      "{{count:1 sum:1.5 z_bucket:0.25 z_bucket_w:0.01 buckets:[0.25 0.25] n_buckets:[0.25]}}",
    );
    const byZero = histogramDiv(h("{{count:4 sum:-6 buckets:[4]}}"), 0);
    expect([byZero.count, byZero.sum, byZero.zeroCount]).toEqual([Infinity, -Infinity, NaN]);
    expect(byZero.positiveBuckets).toEqual([]);
  });

  it("negates into a gauge histogram", () => {
    const n = histogramNeg(base);
    expectMatch(n, "{{count:-4 sum:-6 z_bucket:-1 z_bucket_w:0.01 buckets:[-1 -1] n_buckets:[-1]}}");
    expect(n.counterResetHint).toBe("gauge");
  });
});
