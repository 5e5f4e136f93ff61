import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "../expfmt";
import { loadConfig } from "../config";
import type { NativeHistogram } from "../remotewrite/model";
import { ClassicHistogramCollector, compactSingleSpan, NhcbConversionError, parseLe } from "./classic-to-nhcb";
import { exposedSamples } from "./scrape-request";
import { buildTargets } from "./target";

describe("compactSingleSpan", () => {
  it("drops empty buckets at the ends and splits on long runs, like Histogram.Compact", () => {
    const counts = [0, 1, 0, 0, 2, 0, 0, 0, 3, 0];
    expect(compactSingleSpan(counts, 2)).toEqual({
      spans: [
        { offset: 1, length: 4 },
        { offset: 3, length: 1 },
      ],
      counts: [1, 0, 0, 2, 3],
    });
    expect(compactSingleSpan(counts, 0)).toEqual({
      spans: [
        { offset: 1, length: 1 },
        { offset: 2, length: 1 },
        { offset: 3, length: 1 },
      ],
      counts: [1, 2, 3],
    });
    expect(compactSingleSpan([0, 0], 2)).toEqual({ spans: [], counts: [] });
  });
});

describe("ClassicHistogramCollector", () => {
  it("converts cumulative buckets into custom buckets", () => {
    const collector = new ClassicHistogramCollector();
    for (const [le, count] of [
      [0.1, 1],
      [0.5, 3],
      [1, 3],
      [Infinity, 4],
    ])
      collector.addBucket(le, count);
    collector.setCount(4);
    collector.setSum(2.5);
    expect(collector.convert(false)).toEqual({
      isFloat: false,
      schema: -53,
      zeroThreshold: 0,
      zeroCount: 0,
      count: 4,
      sum: 2.5,
      positiveSpans: [{ offset: 0, length: 4 }],
      positiveBuckets: [1, 2, 0, 1],
      negativeSpans: [],
      negativeBuckets: [],
      counterResetHint: "unknown",
      customValues: [0.1, 0.5, 1],
    });
  });

  it("takes a missing +Inf bucket from _count, accepts buckets out of order and ignores duplicates", () => {
    const collector = new ClassicHistogramCollector();
    collector.addBucket(2, 5);
    collector.addBucket(1, 2);
    collector.addBucket(2, 5);
    collector.setCount(6);
    const h = collector.convert(true);
    expect([h.positiveBuckets, h.customValues, h.counterResetHint]).toEqual([[2, 3, 1], [1, 2], "gauge"]);
  });

  it("makes a float histogram from fractional counts, without empty buckets", () => {
    const collector = new ClassicHistogramCollector();
    collector.addBucket(1, 0.5);
    collector.addBucket(2, 0.5);
    collector.addBucket(Infinity, 1.5);
    const h = collector.convert(false);
    expect([h.isFloat, h.count, h.positiveSpans, h.positiveBuckets]).toEqual([
      true,
      1.5,
      [
        { offset: 0, length: 1 },
        { offset: 1, length: 1 },
      ],
      [0.5, 1],
    ]);
  });

  it("refuses what Prometheus refuses", () => {
    const notCumulative = new ClassicHistogramCollector();
    notCumulative.addBucket(1, 5);
    notCumulative.addBucket(2, 3);
    expect(() => notCumulative.convert(false)).toThrow(NhcbConversionError);
    const mismatch = new ClassicHistogramCollector();
    mismatch.addBucket(Infinity, 4);
    mismatch.setCount(5);
    expect(() => mismatch.convert(false)).toThrow("count mismatch");
  });

  it("parses bucket bounds", () => {
    expect([parseLe("+Inf"), parseLe("0.5"), parseLe("1e3"), parseLe("x")]).toEqual([Infinity, 0.5, 1000, Number.NaN]);
  });
});

describe("exposedSamples with convert_classic_histograms_to_nhcb", () => {
  const text = `# TYPE latency_seconds histogram
latency_seconds_bucket{path="/a",le="0.1"} 1
latency_seconds_bucket{path="/a",le="1"} 3
latency_seconds_bucket{path="/a",le="+Inf"} 4
latency_seconds_sum{path="/a"} 2
latency_seconds_count{path="/a"} 4
latency_seconds_bucket{path="/b",le="0.1"} 5
latency_seconds_bucket{path="/b",le="1"} 2
latency_seconds_bucket{path="/b",le="+Inf"} 5
latency_seconds_sum{path="/b"} 1
latency_seconds_count{path="/b"} 5
# TYPE up_total counter
up_total 7
`;
  const target = (extra: string) => {
    const job = loadConfig(`scrape_configs: [{ job_name: j, static_configs: [{ targets: [h:1] }]${extra} }]`)
      .scrapeConfigs[0];
    return buildTargets(job, job.staticConfigs).active[0];
  };
  const describeSamples = (samples: ReturnType<typeof exposedSamples>) =>
    samples.map((s) => {
      const labels = Object.fromEntries(s.labels.map((l) => [l.name, l.value]));
      const value =
        typeof s.value === "number" ? s.value : `nhcb ${(s.value as NativeHistogram).customValues.join("/")}`;
      return `${labels.__name__}${labels.path ? `{${labels.path}}` : ""}${labels.le ? `[${labels.le}]` : ""}=${value}`;
    });

  it("replaces classic histograms by NHCBs; a non-cumulative one is dropped as in Prometheus", () => {
    const samples = exposedSamples(parsePrometheusText(text), target(", convert_classic_histograms_to_nhcb: true"));
    expect(describeSamples(samples)).toEqual(["latency_seconds{/a}=nhcb 0.1/1", "up_total=7"]);
  });

  it("keeps the classic parts too with always_scrape_classic_histograms", () => {
    const samples = exposedSamples(
      parsePrometheusText(text),
      target(", convert_classic_histograms_to_nhcb: true, always_scrape_classic_histograms: true"),
    );
    expect(describeSamples(samples)).toEqual([
      "latency_seconds{/a}=nhcb 0.1/1",
      "latency_seconds_bucket{/a}[0.1]=1",
      "latency_seconds_bucket{/a}[1]=3",
      "latency_seconds_bucket{/a}[+Inf]=4",
      "latency_seconds_sum{/a}=2",
      "latency_seconds_count{/a}=4",
      "latency_seconds_bucket{/b}[0.1]=5",
      "latency_seconds_bucket{/b}[1]=2",
      "latency_seconds_bucket{/b}[+Inf]=5",
      "latency_seconds_sum{/b}=1",
      "latency_seconds_count{/b}=5",
      "up_total=7",
    ]);
  });

  it("leaves classic histograms alone by default", () => {
    expect(describeSamples(exposedSamples(parsePrometheusText(text), target(""))).length).toBe(11);
  });
});
