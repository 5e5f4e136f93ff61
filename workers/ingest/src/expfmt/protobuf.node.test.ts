import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { testdataPath } from "@edgeprom/testdata";
import { describe, expect, it } from "vitest";
import { ProtoWriter, WireType } from "@edgeprom/wire";
import { ExpositionParseError, UnsupportedExpositionFormatError } from "./errors";
import { expositionFormatOf, scrapeAcceptHeader } from "./negotiate";
import { parseExposition } from "./parse";
import { formatBound, normalizeBoundLabel } from "./lexing";
import { parseProtobufExposition } from "./protobuf";

const file = (...parts: string[]) =>
  new Uint8Array(readFileSync(testdataPath("exposition", "common-expfmt", "testdata", ...parts)));

/** One delimited MetricFamily with a native histogram, an exemplar and a created timestamp. */
function nativeHistogramFamily(): Uint8Array {
  const w = new ProtoWriter();
  w.tag(1, WireType.LengthDelimited).string("rpc_latency_seconds");
  w.tag(2, WireType.LengthDelimited).string("RPC latency.");
  w.tag(3, WireType.Varint).uint32(4); // HISTOGRAM
  w.fork(4); // Metric
  w.fork(1).tag(1, WireType.LengthDelimited).string("service").tag(2, WireType.LengthDelimited).string("api").join();
  w.fork(7); // Histogram
  w.tag(1, WireType.Varint).uint32(9); // sample_count
  w.tag(2, WireType.Fixed64).double(4.5); // sample_sum
  w.fork(3).tag(1, WireType.Varint).uint32(4).tag(2, WireType.Fixed64).double(0.5).join(); // classic bucket le=0.5
  w.fork(15).tag(1, WireType.Varint).int64(1_700_000_000).tag(2, WireType.Varint).uint32(250_000_000).join();
  w.tag(5, WireType.Varint).sint32(3); // schema
  w.tag(6, WireType.Fixed64).double(1e-128);
  w.tag(7, WireType.Varint).uint32(1); // zero_count
  w.fork(12).tag(1, WireType.Varint).sint32(-1).tag(2, WireType.Varint).uint32(3).join();
  w.packedSint64(13, [2, 1, 3]); // deltas → 2, 3, 6... counts sum to 8, + zero 1 = 9
  w.fork(16);
  w.fork(1).tag(1, WireType.LengthDelimited).string("trace_id").tag(2, WireType.LengthDelimited).string("t1").join();
  w.tag(2, WireType.Fixed64).double(0.3);
  w.fork(3).tag(1, WireType.Varint).int64(1_700_000_001).join();
  w.join();
  w.join(); // Histogram
  w.join(); // Metric
  const message = w.finish();
  return new ProtoWriter().bytes(message).finish(); // varint length prefix + message: the delimited format
}

describe("parseProtobufExposition", () => {
  it("parses common's protobuf test data, gzipped too, and the multi-message stream", () => {
    const families = parseProtobufExposition(file("protobuf"));
    expect(families.length).toBeGreaterThan(10);
    expect(parseProtobufExposition(new Uint8Array(gunzipSync(file("protobuf.gz"))))).toEqual(families);
    expect(families.every((f) => f.name !== "" && f.samples.length > 0)).toBe(true);
    const summary = families.find((f) => f.type === "summary");
    expect(summary?.samples.some((s) => s.labels.some((l) => l.name === "quantile"))).toBe(true);
    expect(parseProtobufExposition(file("protobuf-multimessage")).length).toBeGreaterThan(1);
  });

  it("reads native histograms in Prometheus's model, keeping the classic buckets beside them", () => {
    const [family] = parseProtobufExposition(nativeHistogramFamily());
    expect(family).toMatchObject({ name: "rpc_latency_seconds", type: "histogram", help: "RPC latency." });
    const native = family.samples[0];
    expect(native.histogram).toEqual({
      isFloat: false,
      schema: 3,
      zeroThreshold: 1e-128,
      zeroCount: 1,
      count: 9,
      sum: 4.5,
      positiveSpans: [{ offset: -1, length: 3 }],
      positiveBuckets: [2, 3, 6],
      negativeSpans: [],
      negativeBuckets: [],
      counterResetHint: "unknown",
      customValues: [],
    });
    expect(native.createdTimestamp).toBe(1_700_000_000_250);
    expect(native.exemplars).toEqual([
      { labels: [{ name: "trace_id", value: "t1" }], value: 0.3, timestamp: 1_700_000_001_000 },
    ]);
    expect(
      family.samples.slice(1).map((s) => [s.name, s.labels.find((l) => l.name === "le")?.value ?? null, s.value]),
    ).toEqual([
      ["rpc_latency_seconds_bucket", "0.5", 4],
      ["rpc_latency_seconds_bucket", "+Inf", 9],
      ["rpc_latency_seconds_sum", null, 4.5],
      ["rpc_latency_seconds_count", null, 9],
    ]);
  });

  it("rejects truncated streams with a typed error", () => {
    const bytes = file("protobuf");
    expect(() => parseProtobufExposition(bytes.subarray(0, bytes.length - 5))).toThrow(ExpositionParseError);
  });

  it.each([
    [1, "1.0"],
    [0.5, "0.5"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [100000, "100000.0"],
    [1e6, "1e+06"],
    [2.5e-7, "2.5e-07"],
    [Infinity, "+Inf"],
  ])("formats bound %d as %s", (v, text) => {
    expect(formatBound(v)).toBe(text);
  });
});

describe("normalizeBoundLabel", () => {
  it("rewrites le and quantile values as Prometheus 3 ingests them and leaves other text alone", () => {
    const labels = [
      { name: "job", value: "1" },
      { name: "le", value: "1" },
    ];
    normalizeBoundLabel(labels, "le");
    expect(labels).toEqual([
      { name: "job", value: "1" },
      { name: "le", value: "1.0" },
    ]);
    const quantile = [{ name: "quantile", value: "0.00001" }];
    normalizeBoundLabel(quantile, "quantile");
    expect(quantile).toEqual([{ name: "quantile", value: "1e-05" }]);
    const odd = [{ name: "le", value: "bla" }];
    normalizeBoundLabel(odd, "le");
    expect(odd).toEqual([{ name: "le", value: "bla" }]);
  });
});

describe("content negotiation", () => {
  it.each([
    ["text/plain; version=0.0.4; charset=utf-8", "prometheus-text"],
    ["text/plain", "prometheus-text"],
    ["application/openmetrics-text; version=1.0.0; charset=utf-8", "openmetrics"],
    ["application/openmetrics-text; version=0.0.1", "openmetrics"],
    ["application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", "protobuf"],
  ])("reads %s as %s", (contentType, format) => {
    expect(expositionFormatOf(contentType)).toBe(format);
  });

  it("falls back, or answers 415 without a fallback", () => {
    expect(expositionFormatOf("application/json", "prometheus-text")).toBe("prometheus-text");
    expect(expositionFormatOf(null, "openmetrics")).toBe("openmetrics");
    expect(() => expositionFormatOf("application/json")).toThrow(UnsupportedExpositionFormatError);
    expect(() => expositionFormatOf("application/vnd.google.protobuf; proto=foo.Bar; encoding=delimited")).toThrow(
      UnsupportedExpositionFormatError,
    );
  });

  it("builds Prometheus's scrape Accept header", () => {
    expect(scrapeAcceptHeader()).toBe(
      "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6," +
        "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=underscores;q=0.4," +
        "text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
    );
    expect(scrapeAcceptHeader(["PrometheusProto", "PrometheusText0.0.4"], "allow-utf-8")).toBe(
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6," +
        "text/plain;version=0.0.4;q=0.5,*/*;q=0.4",
    );
  });

  it("parses a body in the negotiated format", () => {
    const body = new TextEncoder().encode("# TYPE a gauge\na 1\n# EOF\n");
    const { format, families } = parseExposition(body, "application/openmetrics-text; version=1.0.0");
    expect(format).toBe("openmetrics");
    expect(families[0]).toMatchObject({ name: "a", type: "gauge" });
    expect(() => parseExposition(Uint8Array.of(0x61, 0x20, 0xff, 0x0a), "text/plain")).toThrow(ExpositionParseError);
  });
});
