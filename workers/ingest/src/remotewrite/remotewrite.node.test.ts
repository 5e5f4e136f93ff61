import { describe, expect, it } from "vitest";
import { SnappyTooLargeError, snappyEncode } from "@edgeprom/wire";
import {
  decodeRemoteWrite,
  encodeRemoteWrite,
  decodeWriteRequestV1,
  decodeWriteRequestV2,
  encodeWriteRequestV1,
  encodeWriteRequestV2,
  InvalidSeriesError,
  RemoteWriteDecodeError,
  remoteWriteVersion,
  UnsupportedRemoteWriteError,
  writtenHeaders,
  type HistogramSample,
  type Label,
  type SeriesToWrite,
  type WriteBatch,
} from "./index";
import { decodeWithProtobufjs, ProtobufjsWriteRequest, ProtobufjsWriteRequestV2 } from "./protobufjs-reference";

const STALE_NAN_HI = 0x7ff00000;
const STALE_NAN_LO = 0x00000002;

function staleNaN(): number {
  const u = new Uint32Array([STALE_NAN_LO, STALE_NAN_HI]);
  return new Float64Array(u.buffer)[0];
}

function labels(obj: Record<string, string>): Label[] {
  return Object.entries(obj)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

const exponentialHistogram: HistogramSample = {
  timestamp: 1_700_000_000_500,
  startTimestamp: 1_699_999_000_000,
  histogram: {
    isFloat: false,
    schema: 3,
    zeroThreshold: 1e-128,
    zeroCount: 2,
    count: 14,
    sum: 23.5,
    positiveSpans: [
      { offset: -2, length: 2 },
      { offset: 1, length: 2 },
    ],
    positiveBuckets: [1, 3, 2, 1],
    negativeSpans: [{ offset: 0, length: 2 }],
    negativeBuckets: [4, 1],
    counterResetHint: "notCounterReset",
    customValues: [],
  },
};

const customBucketsHistogram: HistogramSample = {
  timestamp: 1_700_000_001_000,
  startTimestamp: 0,
  histogram: {
    isFloat: true,
    schema: -53,
    zeroThreshold: 0,
    zeroCount: 0,
    count: 7.5,
    sum: 12.25,
    positiveSpans: [{ offset: 0, length: 3 }],
    positiveBuckets: [1.5, 4, 2],
    negativeSpans: [],
    negativeBuckets: [],
    counterResetHint: "gauge",
    customValues: [0.1, 1],
  },
};

const series: SeriesToWrite[] = [
  {
    labels: labels({ __name__: "http_requests_total", job: "api", instance: "10.0.0.1:9100", method: "GET" }),
    samples: [
      { timestamp: 1_700_000_000_000, value: 1027, startTimestamp: 1_690_000_000_000 },
      { timestamp: 1_700_000_015_000, value: 1031.5 },
    ],
    exemplars: [{ labels: labels({ trace_id: "abc123" }), value: 0.25, timestamp: 1_700_000_000_100 }],
    metadata: { type: "counter", help: "Requests served.", unit: "" },
  },
  {
    labels: labels({ __name__: "up", job: "api", "label with spaces": "väłue\nwith newline" }),
    samples: [
      { timestamp: 1_700_000_000_000, value: Number.NaN },
      { timestamp: 1_700_000_015_000, value: Number.POSITIVE_INFINITY },
      { timestamp: 1_700_000_030_000, value: Number.NEGATIVE_INFINITY },
      { timestamp: -5_000, value: -0.5 },
      { timestamp: 1_700_000_045_000, value: staleNaN() },
    ],
  },
  {
    labels: labels({ __name__: "request_duration_seconds", job: "api" }),
    histograms: [exponentialHistogram, customBucketsHistogram],
    metadata: { type: "histogram", help: "Latency.", unit: "seconds" },
  },
];

function samplesOf(batch: WriteBatch, i: number): Array<[number, number]> {
  const s = batch.series[i];
  const out: Array<[number, number]> = [];
  for (let k = s.sampleStart; k < s.sampleStart + s.sampleCount; k++) out.push([batch.timestamps[k], batch.values[k]]);
  return out;
}

function valueBits(batch: WriteBatch, index: number): [number, number] {
  const words = new Uint32Array(batch.values.buffer, batch.values.byteOffset, batch.values.length * 2);
  return [words[index * 2], words[index * 2 + 1]];
}

describe.each([
  ["1.0", encodeWriteRequestV1, decodeWriteRequestV1],
  ["2.0", encodeWriteRequestV2, decodeWriteRequestV2],
] as const)("remote write %s", (version, encode, decode) => {
  const batch = decode(
    encode({
      series,
      metadata: [{ metricFamilyName: "http_requests_total", type: "counter", help: "Requests served.", unit: "" }],
    }),
  );

  it("decodes labels, samples and counts", () => {
    expect(batch.version).toBe(version);
    expect(batch.invalid).toEqual([]);
    expect(batch.series.map((s) => s.labels)).toEqual(series.map((s) => s.labels));
    expect(samplesOf(batch, 0)).toEqual([
      [1_700_000_000_000, 1027],
      [1_700_000_015_000, 1031.5],
    ]);
    expect(samplesOf(batch, 1).map(([t]) => t)).toEqual([
      1_700_000_000_000, 1_700_000_015_000, 1_700_000_030_000, -5_000, 1_700_000_045_000,
    ]);
    const values = samplesOf(batch, 1).map(([, v]) => v);
    expect(values.slice(0, 4)).toEqual([Number.NaN, Infinity, -Infinity, -0.5]);
    expect(batch.counts).toEqual({ samples: 7, histograms: 2, exemplars: 1 });
  });

  it("keeps the stale marker's exact bits apart from an ordinary NaN", () => {
    const start = batch.series[1].sampleStart;
    expect(valueBits(batch, start + 4)).toEqual([STALE_NAN_LO, STALE_NAN_HI]);
    expect(valueBits(batch, start)).not.toEqual([STALE_NAN_LO, STALE_NAN_HI]);
  });

  it("decodes exemplars and native histograms", () => {
    expect(batch.series[0].exemplars).toEqual(series[0].exemplars);
    const expected =
      version === "2.0" ? series[2].histograms : series[2].histograms?.map((h) => ({ ...h, startTimestamp: 0 }));
    expect(batch.series[2].histograms).toEqual(expected);
  });

  it("carries metadata", () => {
    expect(batch.metadata).toContainEqual({
      metricFamilyName: "http_requests_total",
      type: "counter",
      help: "Requests served.",
      unit: "",
    });
    if (version === "2.0") {
      expect(batch.metadata).toContainEqual({
        metricFamilyName: "request_duration_seconds",
        type: "histogram",
        help: "Latency.",
        unit: "seconds",
      });
      expect(Array.from(batch.startTimestamps ?? [])).toEqual([1_690_000_000_000, 0, 0, 0, 0, 0, 0]);
    } else {
      expect(batch.startTimestamps).toBeNull();
    }
  });

  it("rejects only the invalid series of a request and keeps the rest", () => {
    const mixed = decode(
      encode({
        series: [
          { labels: labels({ __name__: "a" }), samples: [{ timestamp: 1, value: 1 }] },
          { labels: labels({ job: "nameless" }), samples: [{ timestamp: 1, value: 2 }] },
          { labels: labels({ __name__: "b" }), samples: [{ timestamp: 1, value: 3 }] },
          { labels: labels({ __name__: "c" }), samples: [{ timestamp: 1, value: 4 }] },
        ],
      }),
    );
    expect(mixed.series.map((s) => s.labels[0].value)).toEqual(["a", "b", "c"]);
    expect(Array.from(mixed.values)).toEqual([1, 3, 4]);
    expect(mixed.counts.samples).toBe(3);
    expect(mixed.invalid).toHaveLength(1);
    expect(mixed.invalid[0]).toBeInstanceOf(InvalidSeriesError);
    expect(mixed.invalid[0]).toMatchObject({
      reason: "series without metric name (__name__ label)",
      labels: [{ name: "job", value: "nameless" }],
      rejected: { samples: 1, histograms: 0, exemplars: 0 },
      status: 400,
    });
  });

  it("describes the first rejected series one by one and counts the rest", () => {
    const broken = Array.from({ length: 150 }, (_, i) => ({
      labels: labels({ job: `nameless-${i}` }),
      samples: [{ timestamp: 1, value: 1 }],
    }));
    const b = decode(
      encode({ series: [...broken, { labels: labels({ __name__: "ok" }), samples: [{ timestamp: 1, value: 1 }] }] }),
    );
    expect(b.invalid).toHaveLength(100);
    expect(b.invalidOmitted).toBe(50);
    expect(b.rejected).toEqual({ series: 150, samples: 150, histograms: 0, exemplars: 0 });
    expect(b.counts.samples).toBe(1);
  });

  it.each<[string, Label[], string | null]>([
    ["an empty label set", [], "empty label set"],
    [
      "a duplicate label name",
      [
        { name: "__name__", value: "x" },
        { name: "a", value: "1" },
        { name: "a", value: "2" },
      ],
      'duplicate label name "a"',
    ],
    [
      "an empty label name",
      [
        { name: "", value: "v" },
        { name: "__name__", value: "x" },
      ],
      "empty label name",
    ],
  ])("rejects %s", (_what, ls, reason) => {
    const b = decode(encode({ series: [{ labels: ls, samples: [{ timestamp: 1, value: 1 }] }] }));
    expect(b.series).toEqual([]);
    expect(b.invalid[0].reason).toBe(reason);
  });

  it("sorts unsorted labels and drops empty values", () => {
    const b = decode(
      encode({
        series: [
          {
            labels: [
              { name: "zone", value: "b" },
              { name: "__name__", value: "x" },
              { name: "empty", value: "" },
              { name: "a", value: "1" },
            ],
            samples: [{ timestamp: 1, value: 1 }],
          },
        ],
      }),
    );
    expect(b.series[0].labels).toEqual(labels({ __name__: "x", a: "1", zone: "b" }));
  });

  it("rejects a histogram whose count does not match its buckets", () => {
    const bad: HistogramSample = {
      ...exponentialHistogram,
      histogram: { ...exponentialHistogram.histogram, count: 13 },
    };
    const b = decode(encode({ series: [{ labels: labels({ __name__: "h" }), histograms: [bad] }] }));
    expect(b.invalid[0].reason).toBe("histogram count 13 does not match its buckets' total 14");
    expect(b.counts.histograms).toBe(0);
  });

  it("rejects spans that do not cover the buckets", () => {
    const bad: HistogramSample = {
      ...exponentialHistogram,
      histogram: { ...exponentialHistogram.histogram, positiveSpans: [{ offset: 0, length: 3 }] },
    };
    const b = decode(encode({ series: [{ labels: labels({ __name__: "h" }), histograms: [bad] }] }));
    expect(b.invalid[0].reason).toBe("positive spans cover 3 buckets but 4 are given");
  });

  it("throws a typed error for structurally broken bytes and never anything else", () => {
    const valid = encode({ series });
    expect(() => decode(valid.subarray(0, valid.length - 3))).toThrow(RemoteWriteDecodeError);
    let rejected = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const mutated = valid.slice();
      mutated[(seed * 7919) % mutated.length] ^= (seed % 255) + 1;
      mutated[(seed * 104729) % mutated.length] ^= ((seed * 31) % 255) + 1;
      try {
        decode(mutated);
      } catch (err) {
        expect(err).toBeInstanceOf(RemoteWriteDecodeError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });
});

describe("remote write 1.0 against protobufjs", () => {
  it("decodes what protobufjs encodes", () => {
    const message = ProtobufjsWriteRequest.fromObject({
      timeseries: [
        {
          labels: [
            { name: "__name__", value: "node_cpu_seconds_total" },
            { name: "cpu", value: "0" },
          ],
          samples: [{ value: 12.5, timestamp: 1_700_000_000_000 }],
          histograms: [
            {
              count_int: 2,
              sum: 1.5,
              schema: -1,
              zero_count_int: 1,
              positive_spans: [{ offset: 1, length: 2 }],
              positive_deltas: [1, -1],
              timestamp: 5,
            },
          ],
        },
      ],
      metadata: [{ type: 1, metric_family_name: "node_cpu_seconds_total", help: "CPU time." }],
    });
    const batch = decodeWriteRequestV1(ProtobufjsWriteRequest.encode(message).finish());
    expect(batch.series[0].labels).toEqual(labels({ __name__: "node_cpu_seconds_total", cpu: "0" }));
    expect(samplesOf(batch, 0)).toEqual([[1_700_000_000_000, 12.5]]);
    expect(batch.invalid).toEqual([]);
    expect(batch.series[0].histograms[0].histogram).toMatchObject({
      count: 2,
      zeroCount: 1,
      schema: -1,
      positiveBuckets: [1, 0],
    });
    expect(batch.metadata).toEqual([
      { metricFamilyName: "node_cpu_seconds_total", type: "counter", help: "CPU time.", unit: "" },
    ]);
  });

  it("encodes what protobufjs decodes", () => {
    const decoded = decodeWithProtobufjs(ProtobufjsWriteRequest, encodeWriteRequestV1({ series }));
    const timeseries = decoded.timeseries as Array<{ labels: Label[]; samples: unknown[]; histograms: unknown[] }>;
    expect(timeseries.map((t) => t.labels)).toEqual(series.map((s) => s.labels));
    expect(timeseries[0].samples).toEqual([
      { value: 1027, timestamp: 1_700_000_000_000 },
      { value: 1031.5, timestamp: 1_700_000_015_000 },
    ]);
    expect(timeseries[2].histograms[0]).toMatchObject({
      count_int: 14,
      schema: 3,
      positive_deltas: [1, 2, -1, -1],
      negative_deltas: [4, -3],
      reset_hint: 2,
    });
  });
});

describe("remote write 2.0 against protobufjs", () => {
  it("encodes a symbol table that starts with the empty string and round-trips through protobufjs", () => {
    const bytes = encodeWriteRequestV2({ series });
    const decoded = decodeWithProtobufjs(ProtobufjsWriteRequestV2, bytes);
    const symbols = decoded.symbols as string[];
    expect(symbols[0]).toBe("");
    expect(new Set(symbols).size).toBe(symbols.length);
    const reencoded = ProtobufjsWriteRequestV2.encode(ProtobufjsWriteRequestV2.fromObject(decoded)).finish();
    const batch = decodeWriteRequestV2(reencoded);
    expect(batch.series.map((s) => s.labels)).toEqual(series.map((s) => s.labels));
    expect(batch.counts).toEqual({ samples: 7, histograms: 2, exemplars: 1 });
  });

  it("rejects bad symbol references per series", () => {
    const message = ProtobufjsWriteRequestV2.fromObject({
      symbols: ["", "__name__", "up", "job"],
      timeseries: [
        { labels_refs: [1, 2], samples: [{ value: 1, timestamp: 1 }] },
        { labels_refs: [1, 2, 3, 9], samples: [{ value: 1, timestamp: 1 }] },
        { labels_refs: [1, 2, 3], samples: [{ value: 1, timestamp: 1 }] },
        { labels_refs: [1, 2], samples: [{ value: 1, timestamp: 1 }], metadata: { type: 2, help_ref: 12 } },
      ],
    });
    const batch = decodeWriteRequestV2(ProtobufjsWriteRequestV2.encode(message).finish());
    expect(batch.series).toHaveLength(1);
    expect(batch.invalid.map((e) => e.reason)).toEqual([
      "label reference 9 outside the symbol table of 4 entries",
      "labels_refs has an odd number of entries",
      "metadata reference outside the symbol table",
    ]);
  });

  it("requires the symbol table to start with the empty string", () => {
    const message = ProtobufjsWriteRequestV2.fromObject({ symbols: ["__name__", "up"], timeseries: [] });
    expect(() => decodeWriteRequestV2(ProtobufjsWriteRequestV2.encode(message).finish())).toThrow(
      RemoteWriteDecodeError,
    );
  });

  it("rejects labels that are not valid UTF-8", () => {
    // Request { symbols: ["", "__name__", <0xff 0xfe>], timeseries: [{ labels_refs: [1, 2], samples: [{}] }] }
    const bytes = Uint8Array.of(
      0x22,
      0,
      0x22,
      8,
      ...new TextEncoder().encode("__name__"),
      0x22,
      2,
      0xff,
      0xfe,
      0x2a,
      6,
      0x0a,
      2,
      1,
      2,
      0x12,
      0,
    );
    const batch = decodeWriteRequestV2(bytes);
    expect(batch.invalid.map((e) => e.reason)).toEqual(["label is not valid UTF-8"]);
  });
});

describe("decodeRemoteWrite", () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it("picks the version from Content-Type and decodes snappy bodies", () => {
    const v2 = snappyEncode(encodeWriteRequestV2({ series }));
    const batch = decodeRemoteWrite(
      v2,
      headers({
        "Content-Type": "application/x-protobuf;proto=io.prometheus.write.v2.Request",
        "Content-Encoding": "snappy",
      }),
    );
    expect(batch.version).toBe("2.0");
    expect(batch.series).toHaveLength(3);
    const v1 = decodeRemoteWrite(snappyEncode(encodeWriteRequestV1({ series })), headers({}));
    expect(v1.version).toBe("1.0");
  });

  it.each<[Record<string, string>, string]>([
    [{ "Content-Type": "application/x-protobuf" }, "1.0"],
    [{ "Content-Type": "application/x-protobuf; proto=prometheus.WriteRequest" }, "1.0"],
    [{ "Content-Type": 'Application/X-Protobuf; proto="io.prometheus.write.v2.Request"' }, "2.0"],
    [
      { "Content-Type": "application/x-protobuf;proto=io.prometheus.write.v2.Request", "Content-Encoding": "SNAPPY" },
      "2.0",
    ],
  ])("negotiates %j as %s", (h, version) => {
    expect(remoteWriteVersion(headers(h))).toBe(version);
  });

  it.each<Record<string, string>>([
    { "Content-Type": "application/json" },
    { "Content-Type": "image/png" },
    { "Content-Type": "application/x-protobuf;proto=io.prometheus.write.v3.Request" },
    { "Content-Type": "application/x-protobuf", "Content-Encoding": "gzip" },
    { "Content-Type": "application/x-protobuf", "Content-Encoding": "deflate" },
  ])("answers 415 to %j", (h) => {
    const err = catchError(() => remoteWriteVersion(headers(h)));
    expect(err).toBeInstanceOf(UnsupportedRemoteWriteError);
    expect(err).toMatchObject({ status: 415, errorType: "unsupported_media_type" });
  });

  it("bounds the decompressed size", () => {
    const body = snappyEncode(encodeWriteRequestV1({ series }));
    expect(() => decodeRemoteWrite(body, headers({}), { maxDecodedBytes: 100 })).toThrow(SnappyTooLargeError);
  });

  it.each(["1.0", "2.0"] as const)("round-trips a %s request with the headers a sender sets", (version) => {
    const { body, headers } = encodeRemoteWrite({ series }, version);
    const batch = decodeRemoteWrite(body, new Headers(headers));
    expect(batch.version).toBe(version);
    expect(batch.counts).toEqual({ samples: 7, histograms: 2, exemplars: 1 });
    expect(headers["X-Prometheus-Remote-Write-Version"]).toBe(version === "2.0" ? "2.0.0" : "0.1.0");
  });

  it("names the written-count headers", () => {
    expect(writtenHeaders({ samples: 3, histograms: 1, exemplars: 0 })).toEqual({
      "X-Prometheus-Remote-Write-Samples-Written": "3",
      "X-Prometheus-Remote-Write-Histograms-Written": "1",
      "X-Prometheus-Remote-Write-Exemplars-Written": "0",
    });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}
