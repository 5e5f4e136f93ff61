import { describe, expect, it } from "vitest";
import { histogramsMatch } from "./compare";
import { formatHistogram, parseHistogram } from "./notation";
import { histogramInstantDelta, histogramRangeDelta } from "./rate";
import type { FloatHistogram } from "./types";

const h = parseHistogram;

function expectHistogram(actual: FloatHistogram | undefined, expected: string): void {
  expect(actual).toBeDefined();
  if (!histogramsMatch(h(expected), actual!, { compareCounterResetHint: true })) {
    expect(formatHistogram(actual!)).toBe(expected);
  }
}

describe("histogramRangeDelta", () => {
  it("is last minus first for counters without resets, as a gauge", () => {
    const r = histogramRangeDelta(
      [h("{{count:1 buckets:[1]}}"), h("{{count:3 buckets:[2 1]}}"), h("{{count:6 buckets:[3 3]}}")],
      true,
    );
    expectHistogram(r.histogram, "{{count:5 buckets:[2 3] counter_reset_hint:gauge}}");
    expect(r.notes).toEqual([]);
  });

  it("adds back what was there before each reset", () => {
    // 5 → 7, reset, 2: increase 2 + 2.
    const r = histogramRangeDelta(
      [h("{{count:5 buckets:[5]}}"), h("{{count:7 buckets:[7]}}"), h("{{count:2 buckets:[2]}}")],
      true,
    );
    expectHistogram(r.histogram, "{{count:4 buckets:[4] counter_reset_hint:gauge}}");
  });

  it("ignores the first sample when a reset follows it, whatever its layout", () => {
    const r = histogramRangeDelta(
      [
        h("{{schema:-53 custom_values:[1] count:5 buckets:[5]}}"),
        h("{{count:1 buckets:[1]}}"),
        h("{{count:3 buckets:[3]}}"),
      ],
      true,
    );
    expectHistogram(r.histogram, "{{count:3 buckets:[3] counter_reset_hint:gauge}}");
  });

  it("meets at the lowest schema in the range", () => {
    // Schema 1 (1,√2]:1 lies in schema 0 (1,2].
    const r = histogramRangeDelta(
      [h("{{schema:1 count:1 buckets:[1] offset:1}}"), h("{{schema:0 count:3 buckets:[3] offset:1}}")],
      true,
    );
    expectHistogram(r.histogram, "{{count:2 buckets:[2] offset:1 counter_reset_hint:gauge}}");
  });

  it("reports flavour mismatches and schema mixes", () => {
    expect(histogramRangeDelta([h("{{count:1 counter_reset_hint:gauge}}"), h("{{count:2}}")], true).notes).toEqual([
      "notCounter",
    ]);
    const delta = histogramRangeDelta([h("{{count:3}}"), h("{{count:1}}")], false);
    expect(delta.notes).toEqual(["notGauge"]);
    expectHistogram(delta.histogram, "{{count:-2 counter_reset_hint:gauge}}");
    const mixed = histogramRangeDelta([h("{{count:1}}"), h("{{schema:-53 count:2}}")], false);
    expect(mixed.histogram).toBeUndefined();
    expect(mixed.notes).toContain("mixedExponentialCustom");
  });

  it("reports reconciled custom bounds", () => {
    const r = histogramRangeDelta(
      [
        h("{{schema:-53 custom_values:[1 2] count:2 buckets:[1 1]}}"),
        h("{{schema:-53 custom_values:[2] count:5 buckets:[4 1]}}"),
      ],
      true,
    );
    expect(r.notes).toEqual(["nhcbBoundsReconciled"]);
    expectHistogram(r.histogram, "{{schema:-53 custom_values:[2] count:3 buckets:[2 1] counter_reset_hint:gauge}}");
  });
});

describe("histogramInstantDelta", () => {
  it("subtracts the last two samples", () => {
    const r = histogramInstantDelta(h("{{count:2 buckets:[2]}}"), h("{{count:5 buckets:[3 2]}}"), true);
    expectHistogram(r.histogram, "{{count:3 buckets:[1 2] counter_reset_hint:gauge}}");
  });

  it("takes the last sample as the increase after a reset (irate only)", () => {
    const prev = h("{{count:5 buckets:[5]}}");
    const last = h("{{count:2 buckets:[2]}}");
    expectHistogram(
      histogramInstantDelta(prev, last, true).histogram,
      "{{count:2 buckets:[2] counter_reset_hint:gauge}}",
    );
    const idelta = histogramInstantDelta(prev, last, false);
    expectHistogram(idelta.histogram, "{{count:-3 buckets:[-3] counter_reset_hint:gauge}}");
    expect(idelta.notes).toEqual(["notGauge"]);
  });
});
