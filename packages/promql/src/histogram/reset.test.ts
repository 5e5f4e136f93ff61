import { describe, expect, it } from "vitest";
import { parseHistogram } from "./notation";
import { detectCounterReset } from "./reset";

const reset = (current: string, previous: string): boolean =>
  detectCounterReset(parseHistogram(current), parseHistogram(previous));

describe("detectCounterReset", () => {
  it("trusts an explicit hint on the current histogram", () => {
    expect(reset("{{count:9 counter_reset_hint:reset}}", "{{count:1}}")).toBe(true);
    expect(reset("{{count:1 counter_reset_hint:not_reset}}", "{{count:9}}")).toBe(false);
  });

  it("sees a drop of the count, of any bucket or of the zero bucket", () => {
    expect(reset("{{count:3 buckets:[3]}}", "{{count:4 buckets:[3]}}")).toBe(true);
    expect(reset("{{count:5 buckets:[1 4]}}", "{{count:4 buckets:[2 2]}}")).toBe(true);
    expect(reset("{{count:5 z_bucket:1 buckets:[4]}}", "{{count:4 z_bucket:2 buckets:[2]}}")).toBe(true);
    expect(reset("{{count:5 n_buckets:[1 4]}}", "{{count:4 n_buckets:[2 2]}}")).toBe(true);
  });

  it("sees a populated bucket that disappeared, but not an empty one", () => {
    expect(reset("{{count:5 buckets:[5] offset:1}}", "{{count:4 buckets:[1 3]}}")).toBe(true);
    expect(reset("{{count:5 buckets:[5] offset:1}}", "{{count:4 buckets:[0 4]}}")).toBe(false);
  });

  it("ignores a falling sum", () => {
    expect(reset("{{count:5 sum:-10 buckets:[5]}}", "{{count:4 sum:10 buckets:[4]}}")).toBe(false);
  });

  it("treats a higher resolution or a narrower zero bucket as a reset", () => {
    expect(reset("{{schema:1 count:5}}", "{{schema:0 count:4}}")).toBe(true);
    expect(reset("{{z_bucket_w:0.1 count:5}}", "{{z_bucket_w:0.2 count:4}}")).toBe(true);
  });

  it("compares across a lower resolution after merging the previous buckets", () => {
    // schema 1 (1,√2]:1 and (√2,2]:1 are schema 0's (1,2]:2.
    expect(reset("{{schema:0 count:3 buckets:[3] offset:1}}", "{{schema:1 count:2 buckets:[1 1] offset:1}}")).toBe(
      false,
    );
    expect(reset("{{schema:0 count:3 buckets:[1] offset:1}}", "{{schema:1 count:2 buckets:[1 1] offset:1}}")).toBe(
      true,
    );
  });

  it("compares across a wider zero bucket after folding the previous buckets into it", () => {
    // (0.5,1]:2 moves into the zero bucket of width 1: previous zero count 1 + 2 = 3.
    expect(reset("{{z_bucket_w:1 z_bucket:3 count:3}}", "{{z_bucket:1 count:3 buckets:[2]}}")).toBe(false);
    expect(reset("{{z_bucket_w:1 z_bucket:2 count:3}}", "{{z_bucket:1 count:3 buckets:[2]}}")).toBe(true);
    // A threshold of 1.5 would cut the populated (1,2]: only a reset can do that.
    expect(reset("{{z_bucket_w:1.5 z_bucket:9 count:9}}", "{{count:1 buckets:[1] offset:1}}")).toBe(true);
  });

  it("handles custom buckets, also with different bounds", () => {
    expect(reset("{{schema:-53 custom_values:[1] count:5}}", "{{count:4}}")).toBe(true);
    expect(
      reset(
        "{{schema:-53 custom_values:[1] count:5 buckets:[1 4]}}",
        "{{schema:-53 custom_values:[1] count:4 buckets:[2 2]}}",
      ),
    ).toBe(true);
    // Shared bounds [2 5]: previous maps to [3 3 4]; [3 3 5 4] maps to [3 3 9] (no reset), [3 2 5 4] to [3 2 9].
    const prev = "{{schema:-53 custom_values:[1 2 5] count:10 buckets:[1 2 3 4]}}";
    expect(reset("{{schema:-53 custom_values:[2 5 10] count:15 buckets:[3 3 5 4]}}", prev)).toBe(false);
    expect(reset("{{schema:-53 custom_values:[2 5 10] count:15 buckets:[3 2 5 4]}}", prev)).toBe(true);
  });
});
