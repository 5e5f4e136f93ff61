import { describe, expect, it } from "vitest";
import { parseHistogram } from "./notation";
import { trimHistogram } from "./trim";

const h = parseHistogram;
// (0.5,1]:1, (1,2]:2, (2,4]:1.
const basic = h("{{count:4 sum:5 buckets:[1 2 1] counter_reset_hint:not_reset}}");

describe("trimHistogram", () => {
  it("keeps whole buckets on the kept side and re-estimates the sum", () => {
    const upper = trimHistogram(basic, "upper", 2);
    expect(upper.count).toBe(3);
    expect(upper.sum).toBeCloseTo(Math.SQRT1_2 + 2 * Math.SQRT2, 14);
    expect(upper.positiveBuckets).toEqual([1, 2]);
    expect(upper.counterResetHint).toBe("notCounterReset");
    const lower = trimHistogram(basic, "lower", 2);
    expect(lower.count).toBe(1);
    expect(lower.sum).toBeCloseTo(Math.sqrt(8), 14);
  });

  it("splits the bucket holding the cutoff exponentially", () => {
    // Up to 1.5 keeps log2(1.5) of (1,2]; that part is taken at √(1·1.5).
    const t = trimHistogram(basic, "upper", 1.5);
    const kept = 2 * Math.log2(1.5);
    expect(t.count).toBeCloseTo(1 + kept, 14);
    expect(t.sum).toBeCloseTo(Math.SQRT1_2 + kept * Math.sqrt(1.5), 14);
  });

  it("leaves the histogram alone when nothing is beyond the cutoff", () => {
    expect(trimHistogram(basic, "upper", 4)).toEqual(basic);
    expect(trimHistogram(basic, "lower", -Infinity)).toEqual(basic);
  });

  it("splits the zero bucket linearly", () => {
    // Zero bucket [-0.1,0.1]:4 with no other buckets: keep [0.05,0.1] = a quarter, at 0.075.
    const t = trimHistogram(h("{{count:4 z_bucket:4 z_bucket_w:0.1}}"), "lower", 0.05);
    expect(t.count).toBeCloseTo(1, 14);
    expect(t.zeroCount).toBeCloseTo(1, 14);
    expect(t.sum).toBeCloseTo(0.075, 14);
  });

  it("splits custom buckets linearly", () => {
    // (0,10]:5, keep up to 4: 2 at 2.
    const t = trimHistogram(h("{{schema:-53 custom_values:[0 10] count:5 sum:25 buckets:[0 5]}}"), "upper", 4);
    expect(t.count).toBeCloseTo(2, 14);
    expect(t.sum).toBeCloseTo(4, 14);
  });
});
