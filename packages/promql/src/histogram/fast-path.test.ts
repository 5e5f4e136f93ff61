import { describe, expect, it } from "vitest";
import { HistogramKahanSum } from "./accumulate";
import { histogramAdd, histogramSub, sameBucketLayout } from "./arithmetic";
import { histogramsMatch } from "./compare";
import { parseHistogram } from "./notation";
import { detectCounterReset } from "./reset";
import type { FloatHistogram } from "./types";
import { copyHistogram } from "./types";

// The bucket-by-bucket paths for identical layouts must agree with the general merge. Splitting a span in two
// (same buckets, different spans) sends the same data through the general path.
function splitSpans(h: FloatHistogram): FloatHistogram {
  const out = copyHistogram(h);
  const [first, ...rest] = out.positiveSpans;
  if (first && first.length > 1) {
    out.positiveSpans = [{ offset: first.offset, length: 1 }, { offset: 0, length: first.length - 1 }, ...rest];
  }
  return out;
}

function pseudoRandomHistogram(seed: number): FloatHistogram {
  let x = seed;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const buckets = Array.from({ length: 6 }, () => Math.floor(next() * 10));
  const nBuckets = Array.from({ length: 3 }, () => Math.floor(next() * 10));
  const z = Math.floor(next() * 5);
  const count = buckets.reduce((a, b) => a + b, 0) + nBuckets.reduce((a, b) => a + b, 0) + z;
  return parseHistogram(
    `{{schema:1 count:${count} sum:${next() * 100} z_bucket:${z} z_bucket_w:0.01 buckets:[${buckets.join(" ")}] offset:-2 n_buckets:[${nBuckets.join(" ")}]}}`,
  );
}

describe("identical-layout fast paths", () => {
  it("are taken only for identical layouts outside the zero bucket", () => {
    const a = pseudoRandomHistogram(1);
    expect(sameBucketLayout(a, pseudoRandomHistogram(2))).toBe(true);
    expect(sameBucketLayout(a, splitSpans(a))).toBe(false);
    // (0.5,1] lies inside a zero bucket of width 1: the general path must drop it from the addend.
    const wide = parseHistogram("{{z_bucket_w:1 z_bucket:1 count:2 buckets:[1]}}");
    expect(sameBucketLayout(wide, wide)).toBe(false);
    expect(histogramAdd(wide, wide).histogram.positiveBuckets).toEqual([1]);
  });

  it("add, subtract, sum and detect resets like the general path", () => {
    for (let seed = 1; seed < 40; seed++) {
      const a = pseudoRandomHistogram(seed);
      const b = pseudoRandomHistogram(seed * 7 + 3);
      for (const op of [histogramAdd, histogramSub]) {
        expect(histogramsMatch(op(a, splitSpans(b)).histogram, op(a, b).histogram, { epsilon: 1e-12 })).toBe(true);
      }
      expect(detectCounterReset(b, splitSpans(a))).toBe(detectCounterReset(b, a));
      const fast = new HistogramKahanSum();
      const general = new HistogramKahanSum();
      fast.add(a);
      general.add(a);
      fast.add(b);
      general.add(splitSpans(b));
      expect(histogramsMatch(general.result()!, fast.result()!, { epsilon: 1e-12 })).toBe(true);
    }
  });
});
