import { describe, expect, it } from "vitest";
import { ProtoWriter, WireType } from "@edgeprom/wire";
import { decodeOtlpJson } from "./decode-json";
import { decodeOtlpProto } from "./decode-proto";
import { OtlpDecodeError, type ExportMetricsRequest, type KeyValue } from "./model";
import { prometheusLabelName, prometheusMetricName } from "./names";
import { translateOtlp, type OtlpTranslation } from "./translate";

const T = "1700000000123456789"; // ns → 1700000000123 ms
const T_MS = 1700000000123;

/** An OTLP/JSON request as the OpenTelemetry collector's otlphttp exporter sends it. */
const REQUEST_JSON = JSON.stringify({
  resourceMetrics: [
    {
      resource: {
        attributes: [
          { key: "service.name", value: { stringValue: "checkout" } },
          { key: "service.namespace", value: { stringValue: "shop" } },
          { key: "service.instance.id", value: { stringValue: "pod-7" } },
          { key: "host.name", value: { stringValue: "node-1" } },
        ],
      },
      scopeMetrics: [
        {
          scope: { name: "io.opentelemetry.http", version: "1.2.0" },
          metrics: [
            {
              name: "http.server.requests",
              unit: "{request}",
              description: "Requests served",
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [
                  {
                    attributes: [{ key: "http.method", value: { stringValue: "GET" } }],
                    timeUnixNano: T,
                    asInt: "42",
                    exemplars: [
                      {
                        timeUnixNano: T,
                        asDouble: 1,
                        traceId: "0102030405060708090A0B0C0D0E0F10",
                        spanId: "0102030405060708",
                      },
                    ],
                  },
                ],
              },
            },
            {
              name: "system.cpu.utilization",
              unit: "1",
              gauge: { dataPoints: [{ timeUnixNano: T, asDouble: 0.25 }] },
            },
            {
              name: "queue.depth",
              sum: {
                aggregationTemporality: "AGGREGATION_TEMPORALITY_CUMULATIVE",
                isMonotonic: false,
                dataPoints: [{ timeUnixNano: T, asDouble: 3 }],
              },
            },
            {
              name: "http.server.duration",
              unit: "ms",
              histogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  { timeUnixNano: T, count: "6", sum: 120.5, bucketCounts: ["1", "2", "3"], explicitBounds: [5, 10.5] },
                ],
              },
            },
            {
              name: "rpc.latency",
              unit: "s",
              exponentialHistogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  {
                    timeUnixNano: T,
                    count: "5",
                    sum: 9,
                    scale: 0,
                    zeroCount: "1",
                    positive: { offset: 1, bucketCounts: ["1", "0", "3"] },
                  },
                ],
              },
            },
            {
              name: "gc.pause",
              unit: "s",
              summary: {
                dataPoints: [{ timeUnixNano: T, count: "4", sum: 2, quantileValues: [{ quantile: 0.5, value: 0.4 }] }],
              },
            },
            {
              name: "jobs.done",
              sum: {
                aggregationTemporality: 1,
                isMonotonic: true,
                dataPoints: [
                  { timeUnixNano: T, asInt: "1" },
                  { timeUnixNano: T, asInt: "2" },
                ],
              },
            },
            {
              name: "worker.busy",
              gauge: { dataPoints: [{ timeUnixNano: T, asDouble: 1, flags: 1 }] },
            },
          ],
        },
      ],
    },
  ],
});

function seriesText(t: OtlpTranslation): string[] {
  return t.series.map((s) => {
    const labels = s.labels.map((l) => `${l.name}=${l.value}`).join(",");
    const floats: string[] = [];
    for (let i = s.sampleStart; i < s.sampleStart + s.sampleCount; i++) {
      const v = t.values[i]!;
      floats.push(Number.isNaN(v) ? (isStaleAt(t.values, i) ? "stale" : "NaN") : String(v));
    }
    return `${labels} ${floats.join(" ")}${s.histograms.length ? ` hist` : ""}`;
  });
}

// Read the bits in place: copying a NaN through a plain JS array may canonicalise its payload.
function isStaleAt(values: Float64Array, i: number): boolean {
  const words = new Uint32Array(values.buffer, values.byteOffset + i * 8, 2);
  return words[0] === 2 && words[1] === 0x7ff00000;
}

describe("OTLP translation", () => {
  const translated = translateOtlp(decodeOtlpJson(REQUEST_JSON));

  it("names series as Prometheus's OTLP receiver does, with job, instance and target_info", () => {
    const res = "instance=pod-7,job=shop/checkout";
    expect(seriesText(translated)).toEqual([
      `__name__=http_server_requests_total,http_method=GET,${res} 42`,
      `__name__=system_cpu_utilization_ratio,${res} 0.25`,
      `__name__=queue_depth,${res} 3`,
      `__name__=http_server_duration_milliseconds_bucket,${res},le=5 1`,
      `__name__=http_server_duration_milliseconds_bucket,${res},le=10.5 3`,
      `__name__=http_server_duration_milliseconds_bucket,${res},le=+Inf 6`,
      `__name__=http_server_duration_milliseconds_sum,${res} 120.5`,
      `__name__=http_server_duration_milliseconds_count,${res} 6`,
      `__name__=rpc_latency_seconds,${res}  hist`,
      `__name__=gc_pause_seconds,${res},quantile=0.5 0.4`,
      `__name__=gc_pause_seconds_sum,${res} 2`,
      `__name__=gc_pause_seconds_count,${res} 4`,
      `__name__=worker_busy,${res} stale`,
      `__name__=target_info,host_name=node-1,${res} 1`,
    ]);
    expect(Array.from(translated.timestamps)).toEqual(new Array(translated.timestamps.length).fill(T_MS));
  });

  it("keeps exemplars with trace and span ids", () => {
    expect(translated.series[0]!.exemplars).toEqual([
      {
        labels: [
          { name: "span_id", value: "0102030405060708" },
          { name: "trace_id", value: "0102030405060708090a0b0c0d0e0f10" },
        ],
        value: 1,
        timestamp: T_MS,
      },
    ]);
    expect(translated.counts).toEqual({ samples: 13, histograms: 1, exemplars: 1 });
  });

  it("turns exponential histograms into native histograms with shifted bucket indexes", () => {
    const histogram = translated.series[8]!.histograms[0]!;
    expect(histogram.timestamp).toBe(T_MS);
    expect(histogram.histogram).toMatchObject({
      schema: 0,
      count: 5,
      sum: 9,
      zeroCount: 1,
      // OTLP buckets 1 and 3 (of offset 1 + i) are Prometheus buckets 2 and 4; the empty one between stays in the span.
      positiveSpans: [{ offset: 2, length: 3 }],
      positiveBuckets: [1, 0, 3],
      negativeSpans: [],
    });
  });

  it("rejects delta sums with Prometheus's message and keeps the rest", () => {
    expect(translated.rejected).toEqual({
      dataPoints: 2,
      messages: ['invalid temporality and type combination for metric "jobs.done"'],
    });
  });

  it("records metadata per metric family", () => {
    expect(translated.metadata).toContainEqual({
      metricFamilyName: "http_server_requests_total",
      type: "counter",
      help: "Requests served",
      unit: "",
    });
    expect(translated.metadata).toContainEqual({
      metricFamilyName: "http_server_duration_milliseconds",
      type: "histogram",
      help: "",
      unit: "milliseconds",
    });
  });

  it("decodes the protobuf form to the same request as the JSON form", () => {
    const fromJson = decodeOtlpJson(REQUEST_JSON);
    expect(decodeOtlpProto(encodeRequest(fromJson))).toEqual(fromJson);
  });

  it("refuses malformed bodies with a typed error", () => {
    expect(() => decodeOtlpJson("{not json")).toThrow(OtlpDecodeError);
    expect(() => decodeOtlpJson('{"resourceMetrics": 5}')).toThrow(OtlpDecodeError);
    expect(() =>
      decodeOtlpJson(
        '{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"gauge": {"dataPoints": [{"asDouble": "x"}]}}]}]}]}',
      ),
    ).toThrow(/dataPoints\[0\]\.asDouble must be a number/);
    expect(() => decodeOtlpProto(new Uint8Array([0x0a, 0x05, 0x01]))).toThrow(OtlpDecodeError);
    expect(() => decodeOtlpProto(new Uint8Array([0x0a, 0x02, 0x12, 0x09]))).toThrow(OtlpDecodeError);
  });
});

describe("OTLP names", () => {
  it("adds unit and type suffixes once", () => {
    expect(prometheusMetricName("http.server.duration", "ms", "histogram")).toBe("http_server_duration_milliseconds");
    expect(prometheusMetricName("network.io", "By/s", "gauge")).toBe("network_io_bytes_per_second");
    expect(prometheusMetricName("requests_total", "", "counter")).toBe("requests_total");
    expect(prometheusMetricName("total.requests", "", "counter")).toBe("requests_total");
    expect(prometheusMetricName("memory_bytes", "By", "gauge")).toBe("memory_bytes");
    expect(prometheusMetricName("3xx.responses", "", "counter")).toBe("_3xx_responses_total");
    expect(prometheusMetricName("foo__bar", "{things}", "gauge")).toBe("foo_bar");
  });

  it("sanitizes label names", () => {
    expect(prometheusLabelName("http.method")).toBe("http_method");
    expect(prometheusLabelName("0key")).toBe("key_0key");
    expect(prometheusLabelName("_private")).toBe("key_private");
    expect(prometheusLabelName("__reserved")).toBe("__reserved");
  });
});

// A protobuf encoder for the OTLP model, used only to produce test payloads.
function encodeRequest(req: ExportMetricsRequest): Uint8Array {
  const w = new ProtoWriter();
  for (const rm of req.resourceMetrics) {
    w.fork(1).fork(1);
    for (const kv of rm.attributes) writeKeyValue(w, 1, kv);
    w.join();
    for (const sm of rm.scopeMetrics) {
      w.fork(2).fork(1);
      w.tag(1, WireType.LengthDelimited).string(sm.scope.name);
      w.tag(2, WireType.LengthDelimited).string(sm.scope.version);
      w.join();
      for (const m of sm.metrics) {
        w.fork(2);
        w.tag(1, WireType.LengthDelimited).string(m.name);
        w.tag(2, WireType.LengthDelimited).string(m.description);
        w.tag(3, WireType.LengthDelimited).string(m.unit);
        const d = m.data;
        if (d.kind === "gauge" || d.kind === "sum") {
          w.fork(d.kind === "gauge" ? 5 : 7);
          for (const p of d.points) {
            w.fork(1);
            for (const kv of p.attributes) writeKeyValue(w, 7, kv);
            fixed64(w, 3, p.timeMs * 1e6);
            w.tag(4, WireType.Fixed64).double(p.value);
            for (const e of p.exemplars) {
              w.fork(5);
              fixed64(w, 2, e.timeMs * 1e6);
              w.tag(3, WireType.Fixed64).double(e.value);
              w.tag(4, WireType.LengthDelimited).bytes(hex(e.spanId));
              w.tag(5, WireType.LengthDelimited).bytes(hex(e.traceId));
              w.join();
            }
            if (p.flags) w.tag(8, WireType.Varint).uint32(p.flags);
            w.join();
          }
          if (d.kind === "sum") {
            w.tag(2, WireType.Varint).uint32(d.temporality);
            w.tag(3, WireType.Varint).bool(d.monotonic);
          }
          w.join();
        } else if (d.kind === "histogram") {
          w.fork(9);
          for (const p of d.points) {
            w.fork(1);
            fixed64(w, 3, p.timeMs * 1e6);
            fixed64(w, 4, p.count);
            if (p.sum !== undefined) w.tag(5, WireType.Fixed64).double(p.sum);
            w.fork(6);
            for (const c of p.bucketCounts) fixed64Raw(w, c);
            w.join();
            w.packedDouble(7, p.explicitBounds);
            w.join();
          }
          w.tag(2, WireType.Varint).uint32(d.temporality);
          w.join();
        } else if (d.kind === "exponentialHistogram") {
          w.fork(10);
          for (const p of d.points) {
            w.fork(1);
            fixed64(w, 3, p.timeMs * 1e6);
            fixed64(w, 4, p.count);
            if (p.sum !== undefined) w.tag(5, WireType.Fixed64).double(p.sum);
            w.tag(6, WireType.Varint).sint32(p.scale);
            fixed64(w, 7, p.zeroCount);
            for (const [field, b] of [
              [8, p.positive],
              [9, p.negative],
            ] as const) {
              w.fork(field);
              w.tag(1, WireType.Varint).sint32(b.offset);
              w.fork(2);
              for (const c of b.bucketCounts) w.int64(c);
              w.join();
              w.join();
            }
            w.tag(14, WireType.Fixed64).double(p.zeroThreshold);
            w.join();
          }
          w.tag(2, WireType.Varint).uint32(d.temporality);
          w.join();
        } else if (d.kind === "summary") {
          w.fork(11);
          for (const p of d.points) {
            w.fork(1);
            fixed64(w, 3, p.timeMs * 1e6);
            fixed64(w, 4, p.count);
            w.tag(5, WireType.Fixed64).double(p.sum);
            for (const q of p.quantiles) {
              w.fork(6);
              w.tag(1, WireType.Fixed64).double(q.quantile);
              w.tag(2, WireType.Fixed64).double(q.value);
              w.join();
            }
            w.join();
          }
          w.join();
        }
        w.join();
      }
      w.join();
    }
    w.join();
  }
  return w.finish();
}

function writeKeyValue(w: ProtoWriter, field: number, kv: KeyValue): void {
  w.fork(field);
  w.tag(1, WireType.LengthDelimited).string(kv.key);
  w.fork(2);
  if (typeof kv.value === "string") w.tag(1, WireType.LengthDelimited).string(kv.value);
  w.join();
  w.join();
}

function fixed64(w: ProtoWriter, field: number, value: number): void {
  w.tag(field, WireType.Fixed64);
  fixed64Raw(w, value);
}

function fixed64Raw(w: ProtoWriter, value: number): void {
  w.doubleBits(value % 4294967296, Math.floor(value / 4294967296));
}

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
}
