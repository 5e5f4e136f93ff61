import { describe, expect, it } from "vitest";
import { NhcbConversionError } from "./errors";
import { convertClassicHistogramsToNhcb } from "./nhcb";
import type { ClassicHistogramSeries } from "./nhcb";

function series(name: string, labels: Record<string, string>, values: number[]): ClassicHistogramSeries {
  return {
    labels: [{ name: "__name__", value: name }, ...Object.entries(labels).map(([n, v]) => ({ name: n, value: v }))],
    samples: values.map((value, i) => ({ t: i * 1000, value })),
  };
}

describe("convertClassicHistogramsToNhcb", () => {
  it("turns cumulative buckets, count and sum into custom-bucket histograms per timestamp", () => {
    const out = convertClassicHistogramsToNhcb([
      series("x_bucket", { le: "+Inf", job: "a" }, [4, 6]),
      series("x_bucket", { le: "1", job: "a" }, [1, 2]),
      series("x_bucket", { le: "5", job: "a" }, [3, 4]),
      series("x_sum", { job: "a" }, [10, 20]),
      series("x_count", { job: "a" }, [4, 6]),
      series("other", { job: "a" }, [1, 2]),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0].labels).toEqual([
      { name: "__name__", value: "x" },
      { name: "job", value: "a" },
    ]);
    expect(out[0].samples.map((s) => s.t)).toEqual([0, 1000]);
    const [first, second] = out[0].samples.map((s) => s.histogram);
    expect(first).toMatchObject({ schema: -53, count: 4, sum: 10, customValues: [1, 5], positiveBuckets: [1, 2, 1] });
    expect(second).toMatchObject({ count: 6, sum: 20, positiveBuckets: [2, 2, 2] });
  });

  it("fills in a missing count, +Inf bucket and sum", () => {
    const [only] = convertClassicHistogramsToNhcb([
      series("y_bucket", { le: "1" }, [2]),
      series("y_bucket", { le: "2" }, [3]),
    ]);
    // Count from the highest bucket, +Inf added with it, sum 0.
    expect(only.samples[0].histogram).toMatchObject({
      count: 3,
      sum: 0,
      customValues: [1, 2],
      positiveBuckets: [2, 1],
    });
  });

  it("skips unparsable le values and ignores a repeated le", () => {
    const [only] = convertClassicHistogramsToNhcb([
      series("z_bucket", { le: "0.2" }, [1]),
      series("z_bucket", { le: "2e-1" }, [1]),
      series("z_bucket", { le: "Hello" }, [7]),
      series("z_bucket", { le: "NaN" }, [7]),
      series("z_bucket", { le: "+inf" }, [3]),
    ]);
    expect(only.samples[0].histogram).toMatchObject({ count: 3, customValues: [0.2], positiveBuckets: [1, 2] });
  });

  it("keeps Prometheus's bucket layouts for integer and float counts", () => {
    // Cumulative 1,1,1,2 → per bucket 1,0,0,1: integer histograms keep gaps of two empty buckets inside a span.
    const ints = convertClassicHistogramsToNhcb(
      ["1", "2", "3", "+Inf"].map((le, i) => series("i_bucket", { le }, [[1, 1, 1, 2][i]])),
    );
    expect(ints[0].samples[0].histogram.positiveSpans).toEqual([{ offset: 0, length: 4 }]);
    const floats = convertClassicHistogramsToNhcb(
      ["1", "2", "3", "+Inf"].map((le, i) => series("f_bucket", { le }, [[0.5, 0.5, 0.5, 1.5][i]])),
    );
    expect(floats[0].samples[0].histogram.positiveSpans).toEqual([
      { offset: 0, length: 1 },
      { offset: 2, length: 1 },
    ]);
  });

  it("fails on counts that are negative, not cumulative or do not match", () => {
    const fails = (s: ClassicHistogramSeries[]) => () => convertClassicHistogramsToNhcb(s);
    expect(fails([series("a_bucket", { le: "1" }, [-1])])).toThrow(NhcbConversionError);
    expect(fails([series("a_bucket", { le: "1" }, [5]), series("a_bucket", { le: "2" }, [3])])).toThrow(
      /not cumulative/,
    );
    expect(fails([series("a_bucket", { le: "2" }, [3]), series("a_bucket", { le: "1" }, [5])])).toThrow(
      /not cumulative/,
    );
    expect(fails([series("a_bucket", { le: "+Inf" }, [3]), series("a_count", {}, [4])])).toThrow(/count mismatch/);
    expect(fails([series("a_count", {}, [-4])])).toThrow(/non-negative/);
    expect(fails([series("a_bucket", {}, [1])])).toThrow(NhcbConversionError);
  });
});
