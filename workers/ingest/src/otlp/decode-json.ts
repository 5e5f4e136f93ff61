import {
  nanosToMillis,
  OtlpDecodeError,
  Temporality,
  type AnyValue,
  type ExponentialBuckets,
  type ExportMetricsRequest,
  type KeyValue,
  type MetricData,
  type OtlpExemplar,
  type OtlpMetric,
} from "./model";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * Decodes an `ExportMetricsServiceRequest` in OTLP/JSON form (proto3 JSON mapping: lowerCamelCase names, with the
 * original snake_case names also accepted; 64-bit integers as strings or numbers; trace and span ids in hex).
 */
export function decodeOtlpJson(text: string): ExportMetricsRequest {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (err) {
    throw new OtlpDecodeError(`invalid OTLP JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const request = asObject(root, "request");
  return {
    resourceMetrics: asArray(field(request, "resourceMetrics"), "resourceMetrics").map((rm, i) => {
      const path = `resourceMetrics[${i}]`;
      const resource = asObject(rm, path);
      const res = field(resource, "resource");
      return {
        attributes:
          res === undefined
            ? []
            : keyValues(field(asObject(res, `${path}.resource`), "attributes"), `${path}.resource.attributes`),
        scopeMetrics: asArray(field(resource, "scopeMetrics"), `${path}.scopeMetrics`).map((sm, j) => {
          const spath = `${path}.scopeMetrics[${j}]`;
          const scopeMetrics = asObject(sm, spath);
          const scopeValue = field(scopeMetrics, "scope");
          const scope = scopeValue === undefined ? {} : asObject(scopeValue, `${spath}.scope`);
          return {
            scope: {
              name: str(field(scope, "name"), `${spath}.scope.name`),
              version: str(field(scope, "version"), `${spath}.scope.version`),
              attributes: keyValues(field(scope, "attributes"), `${spath}.scope.attributes`),
            },
            metrics: asArray(field(scopeMetrics, "metrics"), `${spath}.metrics`).map((m, k) =>
              metric(asObject(m, `${spath}.metrics[${k}]`), `${spath}.metrics[${k}]`),
            ),
          };
        }),
      };
    }),
  };
}

function metric(m: JsonObject, path: string): OtlpMetric {
  return {
    name: str(field(m, "name"), `${path}.name`),
    description: str(field(m, "description"), `${path}.description`),
    unit: str(field(m, "unit"), `${path}.unit`),
    data: metricData(m, path),
  };
}

function metricData(m: JsonObject, path: string): MetricData {
  const gauge = field(m, "gauge");
  if (gauge !== undefined)
    return { kind: "gauge", points: numberPoints(asObject(gauge, `${path}.gauge`), `${path}.gauge`) };
  const sum = field(m, "sum");
  if (sum !== undefined) {
    const s = asObject(sum, `${path}.sum`);
    return {
      kind: "sum",
      points: numberPoints(s, `${path}.sum`),
      temporality: temporality(field(s, "aggregationTemporality"), `${path}.sum`),
      monotonic: bool(field(s, "isMonotonic"), `${path}.sum.isMonotonic`),
    };
  }
  const histogram = field(m, "histogram");
  if (histogram !== undefined) {
    const h = asObject(histogram, `${path}.histogram`);
    return {
      kind: "histogram",
      temporality: temporality(field(h, "aggregationTemporality"), `${path}.histogram`),
      points: asArray(field(h, "dataPoints"), `${path}.histogram.dataPoints`).map((p, i) => {
        const ppath = `${path}.histogram.dataPoints[${i}]`;
        const o = asObject(p, ppath);
        return {
          ...pointBase(o, ppath),
          count: num(field(o, "count"), `${ppath}.count`),
          sum: optionalNum(field(o, "sum"), `${ppath}.sum`),
          bucketCounts: asArray(field(o, "bucketCounts"), `${ppath}.bucketCounts`).map((c) =>
            num(c, `${ppath}.bucketCounts`),
          ),
          explicitBounds: asArray(field(o, "explicitBounds"), `${ppath}.explicitBounds`).map((b) =>
            num(b, `${ppath}.explicitBounds`),
          ),
        };
      }),
    };
  }
  const exponential = field(m, "exponentialHistogram");
  if (exponential !== undefined) {
    const h = asObject(exponential, `${path}.exponentialHistogram`);
    return {
      kind: "exponentialHistogram",
      temporality: temporality(field(h, "aggregationTemporality"), `${path}.exponentialHistogram`),
      points: asArray(field(h, "dataPoints"), `${path}.exponentialHistogram.dataPoints`).map((p, i) => {
        const ppath = `${path}.exponentialHistogram.dataPoints[${i}]`;
        const o = asObject(p, ppath);
        return {
          ...pointBase(o, ppath),
          count: num(field(o, "count"), `${ppath}.count`),
          sum: optionalNum(field(o, "sum"), `${ppath}.sum`),
          scale: num(field(o, "scale"), `${ppath}.scale`),
          zeroCount: num(field(o, "zeroCount"), `${ppath}.zeroCount`),
          zeroThreshold: num(field(o, "zeroThreshold"), `${ppath}.zeroThreshold`),
          positive: buckets(field(o, "positive"), `${ppath}.positive`),
          negative: buckets(field(o, "negative"), `${ppath}.negative`),
        };
      }),
    };
  }
  const summary = field(m, "summary");
  if (summary !== undefined) {
    const s = asObject(summary, `${path}.summary`);
    return {
      kind: "summary",
      points: asArray(field(s, "dataPoints"), `${path}.summary.dataPoints`).map((p, i) => {
        const ppath = `${path}.summary.dataPoints[${i}]`;
        const o = asObject(p, ppath);
        return {
          ...pointBase(o, ppath),
          count: num(field(o, "count"), `${ppath}.count`),
          sum: num(field(o, "sum"), `${ppath}.sum`),
          quantiles: asArray(field(o, "quantileValues"), `${ppath}.quantileValues`).map((q, j) => {
            const qo = asObject(q, `${ppath}.quantileValues[${j}]`);
            return {
              quantile: num(field(qo, "quantile"), `${ppath}.quantile`),
              value: num(field(qo, "value"), `${ppath}.value`),
            };
          }),
        };
      }),
    };
  }
  return { kind: "empty" };
}

function numberPoints(container: JsonObject, path: string) {
  return asArray(field(container, "dataPoints"), `${path}.dataPoints`).map((p, i) => {
    const ppath = `${path}.dataPoints[${i}]`;
    const o = asObject(p, ppath);
    const asDouble = field(o, "asDouble");
    const asInt = field(o, "asInt");
    return {
      ...pointBase(o, ppath),
      value: asInt !== undefined ? num(asInt, `${ppath}.asInt`) : num(asDouble, `${ppath}.asDouble`),
    };
  });
}

function pointBase(o: JsonObject, path: string) {
  return {
    attributes: keyValues(field(o, "attributes"), `${path}.attributes`),
    startTimeMs: millis(field(o, "startTimeUnixNano"), `${path}.startTimeUnixNano`),
    timeMs: millis(field(o, "timeUnixNano"), `${path}.timeUnixNano`),
    flags: num(field(o, "flags"), `${path}.flags`),
    exemplars: asArray(field(o, "exemplars"), `${path}.exemplars`).map((e, i) =>
      exemplar(asObject(e, `${path}.exemplars[${i}]`), `${path}.exemplars[${i}]`),
    ),
  };
}

function exemplar(o: JsonObject, path: string): OtlpExemplar {
  const asInt = field(o, "asInt");
  return {
    attributes: keyValues(field(o, "filteredAttributes"), `${path}.filteredAttributes`),
    timeMs: millis(field(o, "timeUnixNano"), `${path}.timeUnixNano`),
    value: asInt !== undefined ? num(asInt, `${path}.asInt`) : num(field(o, "asDouble"), `${path}.asDouble`),
    traceId: str(field(o, "traceId"), `${path}.traceId`).toLowerCase(),
    spanId: str(field(o, "spanId"), `${path}.spanId`).toLowerCase(),
  };
}

function buckets(value: Json | undefined, path: string): ExponentialBuckets {
  if (value === undefined || value === null) return { offset: 0, bucketCounts: [] };
  const o = asObject(value, path);
  return {
    offset: num(field(o, "offset"), `${path}.offset`),
    bucketCounts: asArray(field(o, "bucketCounts"), `${path}.bucketCounts`).map((c) => num(c, `${path}.bucketCounts`)),
  };
}

function keyValues(value: Json | undefined, path: string): KeyValue[] {
  return asArray(value, path).map((kv, i) => {
    const o = asObject(kv, `${path}[${i}]`);
    const v = field(o, "value");
    return {
      key: str(field(o, "key"), `${path}[${i}].key`),
      value: v === undefined ? null : anyValue(v, `${path}[${i}].value`),
    };
  });
}

function anyValue(value: Json, path: string): AnyValue {
  if (value === null) return null;
  const o = asObject(value, path);
  const s = field(o, "stringValue");
  if (s !== undefined) return str(s, path);
  const b = field(o, "boolValue");
  if (b !== undefined) return bool(b, path);
  const i = field(o, "intValue");
  if (i !== undefined) return num(i, path);
  const d = field(o, "doubleValue");
  if (d !== undefined) return num(d, path);
  const arr = field(o, "arrayValue");
  if (arr !== undefined) {
    const values = field(asObject(arr, path), "values");
    return asArray(values, path).map((v, k) => anyValue(v, `${path}[${k}]`));
  }
  const kvlist = field(o, "kvlistValue");
  if (kvlist !== undefined) {
    const map: { [key: string]: AnyValue } = {};
    for (const kv of keyValues(field(asObject(kvlist, path), "values"), path)) map[kv.key] = kv.value;
    return map;
  }
  const bytes = field(o, "bytesValue");
  if (bytes !== undefined) {
    try {
      return Uint8Array.from(atob(str(bytes, path)), (c) => c.charCodeAt(0));
    } catch {
      throw new OtlpDecodeError(`invalid OTLP JSON: ${path}.bytesValue is not base64`);
    }
  }
  return null;
}

const TEMPORALITY_NAMES: Record<string, Temporality> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: Temporality.Unspecified,
  AGGREGATION_TEMPORALITY_DELTA: Temporality.Delta,
  AGGREGATION_TEMPORALITY_CUMULATIVE: Temporality.Cumulative,
};

function temporality(value: Json | undefined, path: string): Temporality {
  if (typeof value === "string" && value in TEMPORALITY_NAMES) return TEMPORALITY_NAMES[value]!;
  const n = num(value, `${path}.aggregationTemporality`);
  if (n !== 0 && n !== 1 && n !== 2)
    throw new OtlpDecodeError(`invalid OTLP JSON: ${path}.aggregationTemporality ${n}`);
  return n as Temporality;
}

/** A field by its lowerCamelCase name, or by the proto's snake_case name. */
function field(o: JsonObject, camel: string): Json | undefined {
  if (camel in o) return o[camel];
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake in o ? o[snake] : undefined;
}

function asObject(value: Json | undefined, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OtlpDecodeError(`invalid OTLP JSON: ${path} must be an object`);
  }
  return value;
}

function asArray(value: Json | undefined, path: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`invalid OTLP JSON: ${path} must be an array`);
  return value;
}

function str(value: Json | undefined, path: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new OtlpDecodeError(`invalid OTLP JSON: ${path} must be a string`);
  return value;
}

function bool(value: Json | undefined, path: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw new OtlpDecodeError(`invalid OTLP JSON: ${path} must be a boolean`);
  return value;
}

/** Numbers arrive as JSON numbers, as decimal strings (64-bit integers) or as "NaN"/"Infinity"/"-Infinity". */
function num(value: Json | undefined, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    if (value === "NaN") return NaN;
    if (value === "Infinity") return Infinity;
    if (value === "-Infinity") return -Infinity;
    if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return Number(value);
  }
  throw new OtlpDecodeError(`invalid OTLP JSON: ${path} must be a number`);
}

function optionalNum(value: Json | undefined, path: string): number | undefined {
  return value === undefined || value === null ? undefined : num(value, path);
}

function millis(value: Json | undefined, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" || typeof value === "string") {
    try {
      return nanosToMillis(value);
    } catch {
      throw new OtlpDecodeError(`invalid OTLP JSON: ${path} must be nanoseconds`);
    }
  }
  throw new OtlpDecodeError(`invalid OTLP JSON: ${path} must be nanoseconds`);
}
