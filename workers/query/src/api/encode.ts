import { allBuckets, type FloatHistogram, type Labels, type QueryValue } from "@edgeprom/promql";
import { formatFloat } from "@edgeprom/promql/format";

/**
 * JSON for query results, written by hand rather than with JSON.stringify: a range query can return millions of
 * points, and Prometheus's exact forms (`[1435781451.781,"1"]`, values as Go-formatted strings, histograms with
 * boundary rules) fall out of a direct writer without intermediate objects.
 */
export function encodeQueryData(value: QueryValue, extra?: Record<string, unknown>): string {
  let out: string;
  switch (value.type) {
    case "scalar":
    case "string":
      out = `{"resultType":"${value.type}","result":[${timestamp(value.t)},${value.type === "scalar" ? JSON.stringify(formatFloat(value.v)) : JSON.stringify(value.v)}]`;
      break;
    case "vector": {
      const parts: string[] = [];
      for (const s of value.samples) {
        const point =
          s.h !== null
            ? `"histogram":[${timestamp(s.t)},${histogram(s.h)}]`
            : `"value":[${timestamp(s.t)},"${formatFloat(s.f ?? 0)}"]`;
        parts.push(`{"metric":${metric(s.labels)},${point}}`);
      }
      out = `{"resultType":"vector","result":[${parts.join(",")}]`;
      break;
    }
    case "matrix": {
      // One growing string: V8 builds it as a rope, cheaper than an array of point strings joined per series.
      out = `{"resultType":"matrix","result":[`;
      for (let k = 0; k < value.series.length; k++) {
        const s = value.series[k]!;
        if (k > 0) out += ",";
        out += `{"metric":${metric(s.labels)}`;
        if (s.floats.length > 0) out += `,"values":[${floatPoints(s.floats)}]`;
        if (s.histograms.length > 0) {
          out += `,"histograms":[${s.histograms.map((p) => `[${timestamp(p.t)},${histogram(p.h)}]`).join(",")}]`;
        }
        out += "}";
      }
      out += "]";
      break;
    }
  }
  if (extra) for (const [key, v] of Object.entries(extra)) out += `,${JSON.stringify(key)}:${JSON.stringify(v)}`;
  return out + "}";
}

/**
 * `[t,"v"],...` for one series. Formatting a float is the dearest step, and neighbouring values are often equal
 * (idle counters, constant gauges), so an unchanged value reuses the previous text.
 */
function floatPoints(points: readonly { t: number; f: number }[]): string {
  const texts = new Array<string>(points.length);
  let lastValue = NaN;
  let lastText = "";
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    // `===` tells equal values apart exactly except -0 from 0, so zeros are formatted anew (NaN never equals itself).
    if (p.f !== lastValue || p.f === 0) {
      lastValue = p.f;
      lastText = formatFloat(p.f);
    }
    texts[i] = `[${timestamp(p.t)},"${lastText}"]`;
  }
  return texts.join(",");
}

/** Milliseconds as Prometheus writes them: seconds with up to three fraction digits, as a JSON number. */
export function timestamp(ms: number): string {
  const negative = ms < 0;
  const abs = Math.round(Math.abs(ms));
  const seconds = Math.floor(abs / 1000);
  const fraction = abs - seconds * 1000;
  const text = fraction === 0 ? String(seconds) : `${seconds}.${String(fraction).padStart(3, "0")}`;
  return negative ? `-${text}` : text;
}

export function metric(labels: Labels): string {
  return `{${labels.map((l) => `${JSON.stringify(l.name)}:${JSON.stringify(l.value)}`).join(",")}}`;
}

/**
 * A native histogram as the API shows it: count, sum, and every non-empty bucket as
 * `[boundaryRule, lower, upper, count]`, where the rule says which ends are closed (0: upper only, 1: lower only,
 * 2: neither, 3: both).
 */
export function histogram(h: FloatHistogram): string {
  const buckets: string[] = [];
  for (const b of allBuckets(h)) {
    if (b.count === 0) continue;
    const rule = b.lowerInclusive ? (b.upperInclusive ? 3 : 1) : b.upperInclusive ? 0 : 2;
    buckets.push(`[${rule},"${formatFloat(b.lower)}","${formatFloat(b.upper)}","${formatFloat(b.count)}"]`);
  }
  const bucketPart = buckets.length > 0 ? `,"buckets":[${buckets.join(",")}]` : "";
  return `{"count":"${formatFloat(h.count)}","sum":"${formatFloat(h.sum)}"${bucketPart}}`;
}
