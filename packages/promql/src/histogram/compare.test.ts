import { describe, expect, it } from "vitest";
import { almostEqual, histogramsEqual, histogramsMatch, spansMatch } from "./compare";
import { parseHistogram } from "./notation";

const h = parseHistogram;

describe("almostEqual", () => {
  it("uses a tolerance relative to the magnitudes", () => {
    expect(almostEqual(1, 1 + 1e-7, 1e-6)).toBe(true);
    expect(almostEqual(1, 1.00001, 1e-6)).toBe(false);
    expect(almostEqual(1e300, 1.0000001e300, 1e-6)).toBe(true);
    expect(almostEqual(0, 1e-300, 1e-6)).toBe(false);
    expect(almostEqual(NaN, NaN, 1e-6)).toBe(true);
    expect(almostEqual(Infinity, Infinity, 1e-6)).toBe(true);
    expect(almostEqual(Infinity, -Infinity, 1e-6)).toBe(false);
  });
});

describe("spansMatch", () => {
  it("ignores empty spans and split runs", () => {
    expect(
      spansMatch(
        [
          { offset: 0, length: 2 },
          { offset: 0, length: 1 },
        ],
        [{ offset: 0, length: 3 }],
      ),
    ).toBe(true);
    expect(
      spansMatch(
        [
          { offset: 1, length: 0 },
          { offset: 2, length: 2 },
        ],
        [{ offset: 3, length: 2 }],
      ),
    ).toBe(true);
    expect(spansMatch([{ offset: 1, length: 2 }], [{ offset: 0, length: 2 }])).toBe(false);
  });
});

describe("histogramsEqual", () => {
  it("compares data including the layout, not the hint", () => {
    expect(histogramsEqual(h("{{count:1 buckets:[1] counter_reset_hint:gauge}}"), h("{{count:1 buckets:[1]}}"))).toBe(
      true,
    );
    expect(histogramsEqual(h("{{count:1 buckets:[1 0]}}"), h("{{count:1 buckets:[1]}}"))).toBe(false);
    expect(histogramsEqual(h("{{count:1 sum:NaN}}"), h("{{count:1 sum:NaN}}"))).toBe(true);
    expect(histogramsEqual(h("{{schema:-53 custom_values:[1]}}"), h("{{schema:-53 custom_values:[2]}}"))).toBe(false);
  });
});

describe("histogramsMatch", () => {
  it("compares compacted histograms with tolerance", () => {
    expect(
      histogramsMatch(h("{{count:1 buckets:[1]}}"), h("{{count:1.0000001 buckets:[0 1.0000001 0] offset:-1}}")),
    ).toBe(true);
    expect(histogramsMatch(h("{{count:1 z_bucket_w:0.1}}"), h("{{count:1 z_bucket_w:0.10000001}}"))).toBe(false);
    expect(histogramsMatch(h("{{count:1}}"), h("{{count:1 counter_reset_hint:gauge}}"))).toBe(true);
    expect(
      histogramsMatch(h("{{count:1}}"), h("{{count:1 counter_reset_hint:gauge}}"), { compareCounterResetHint: true }),
    ).toBe(false);
  });
});
