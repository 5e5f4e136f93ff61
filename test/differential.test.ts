import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { encodeWriteRequestV1 } from "../workers/ingest/src/remotewrite/encode";
import { snappyEncode } from "@edgeprom/wire";
import { differentialData, type DifferentialData } from "./differential-data";
import { startPrometheus, type PrometheusServer } from "./prometheus";

/**
 * The same data written to edgeprom and to Debian's Prometheus 2.42, and a corpus of queries compared between the
 * two (relative tolerance 1e-6). Prometheus 3 made range and subquery windows left-open where 2.42's are closed,
 * so no window may start exactly on a point: samples sit 7.5 s off the 15 s grid, and query times sit 30 s off the
 * minute that 1m subquery steps align to. Queries using what 2.42 lacks or changed (double_exponential_smoothing,
 * first_over_time, 3.x's experimental functions) are not in the corpus.
 */
const edgeprom = inject("devServerUrl");

let prometheus: PrometheusServer;
let data: DifferentialData;

interface Series {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}
type Answer =
  | { status: "success"; data: { resultType: string; result: Series[] | [number, string] } }
  | { status: "error"; errorType: string; error: string };

async function query(base: string, path: string, params: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  return (await res.json()) as Answer;
}

function close(a: string, b: string): boolean {
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  return Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y)) + 1e-12;
}

/** Differences between the two answers, empty when they agree. Series order is ignored except where noted. */
function compare(ours: Answer, theirs: Answer): string[] {
  if (theirs.status === "error" || ours.status === "error") {
    if (ours.status === theirs.status)
      return ours.status === "error" && theirs.status === "error" && ours.errorType !== theirs.errorType
        ? [`errorType ${ours.errorType} vs ${theirs.errorType}`]
        : [];
    return [
      `status ${ours.status} (${"error" in ours ? ours.error : ""}) vs ${theirs.status} (${"error" in theirs ? theirs.error : ""})`,
    ];
  }
  if (ours.data.resultType !== theirs.data.resultType)
    return [`resultType ${ours.data.resultType} vs ${theirs.data.resultType}`];
  if (ours.data.resultType === "scalar" || ours.data.resultType === "string") {
    const [ta, va] = ours.data.result as [number, string];
    const [tb, vb] = theirs.data.result as [number, string];
    return ta === tb && close(va, vb) ? [] : [`scalar ${ta},${va} vs ${tb},${vb}`];
  }
  const key = (s: Series) => JSON.stringify(Object.entries(s.metric).sort());
  const a = new Map((ours.data.result as Series[]).map((s) => [key(s), s]));
  const b = new Map((theirs.data.result as Series[]).map((s) => [key(s), s]));
  const problems: string[] = [];
  for (const k of b.keys()) if (!a.has(k)) problems.push(`missing series ${k}`);
  for (const k of a.keys()) if (!b.has(k)) problems.push(`extra series ${k}`);
  for (const [k, sa] of a) {
    const sb = b.get(k);
    if (!sb) continue;
    const pa = sa.values ?? (sa.value ? [sa.value] : []);
    const pb = sb.values ?? (sb.value ? [sb.value] : []);
    if (pa.length !== pb.length) {
      problems.push(`${k}: ${pa.length} points vs ${pb.length}`);
      continue;
    }
    for (let i = 0; i < pa.length; i++) {
      if (pa[i]![0] !== pb[i]![0] || !close(pa[i]![1], pb[i]![1])) {
        problems.push(`${k} @${pb[i]![0]}: ${pa[i]![1]} vs ${pb[i]![1]}`);
        break;
      }
    }
  }
  return problems.slice(0, 5);
}

const CORPUS = [
  "http_requests_total",
  'http_requests_total{instance=~"a.*|d.*", code!~"5.."}',
  '{__name__=~"batch_.*"}',
  "escaped_info",
  "rate(http_requests_total[5m])",
  "irate(http_requests_total[5m])",
  "increase(http_requests_total[10m])",
  "resets(http_requests_total[30m])",
  "sum by (job) (rate(http_requests_total[5m]))",
  "sum without (instance) (rate(http_requests_total[5m]))",
  "avg by (job, code) (rate(http_requests_total[2m]))",
  "max by (job) (node_memory_free_bytes)",
  "min by (job) (node_memory_free_bytes)",
  "count by (job) (node_memory_free_bytes)",
  "stddev by (job) (temperature_celsius)",
  "stdvar(temperature_celsius)",
  "group by (job) (node_memory_free_bytes)",
  "topk(3, rate(http_requests_total[5m]))",
  "bottomk(2, node_memory_free_bytes)",
  "quantile(0.9, rate(http_requests_total[5m]))",
  'count_values("value", batch_items)',
  "histogram_quantile(0.9, sum by (le) (rate(request_duration_seconds_bucket[5m])))",
  "histogram_quantile(0.5, sum by (le, handler) (rate(request_duration_seconds_bucket[5m])))",
  "rate(request_duration_seconds_sum[5m]) / rate(request_duration_seconds_count[5m])",
  "delta(temperature_celsius[10m])",
  "deriv(temperature_celsius[10m])",
  "predict_linear(temperature_celsius[10m], 3600)",
  "avg_over_time(temperature_celsius[5m])",
  "min_over_time(temperature_celsius[5m])",
  "max_over_time(temperature_celsius[5m])",
  "sum_over_time(temperature_celsius[5m])",
  "count_over_time(batch_items[10m])",
  "stddev_over_time(temperature_celsius[10m])",
  "stdvar_over_time(temperature_celsius[10m])",
  "last_over_time(batch_items[10m])",
  "quantile_over_time(0.5, temperature_celsius[10m])",
  "changes(batch_items[10m])",
  "absent(nonexistent_metric)",
  "absent(http_requests_total)",
  'absent_over_time(batch_items{kind="vanished"}[5m])',
  "present_over_time(batch_items[5m])",
  "abs(delta(temperature_celsius[5m]))",
  "ceil(temperature_celsius)",
  "floor(temperature_celsius)",
  "round(temperature_celsius, 0.5)",
  "sqrt(node_memory_free_bytes)",
  "exp(temperature_celsius / 10)",
  "ln(node_memory_free_bytes)",
  "log2(node_memory_free_bytes)",
  "log10(node_memory_free_bytes)",
  "clamp(temperature_celsius, 21, 23)",
  "clamp_min(temperature_celsius, 22)",
  "clamp_max(temperature_celsius, 22)",
  "sgn(delta(temperature_celsius[5m]))",
  "timestamp(batch_items)",
  "time()",
  "vector(1)",
  "scalar(sum(batch_items))",
  'label_replace(http_requests_total, "host", "$1", "instance", "(.*):.*")',
  'label_join(node_memory_free_bytes, "id", "/", "job", "instance")',
  "http_requests_total offset 10m",
  "rate(http_requests_total[5m] offset 5m)",
  "max_over_time(rate(http_requests_total[2m])[10m:1m])",
  "avg_over_time(sum(node_memory_free_bytes)[15m:])",
  "node_memory_free_bytes / 1e9",
  "rate(http_requests_total[5m]) > 10",
  "rate(http_requests_total[5m]) > bool 10",
  "-temperature_celsius + 2 ^ 3 * 4 % 5",
  'sum by (job) (rate(http_requests_total{code="500"}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
  "http_requests_total and on (instance) node_memory_free_bytes > 1.2e9",
  "node_memory_free_bytes unless on (instance) temperature_celsius > 24",
  "node_memory_free_bytes or temperature_celsius",
  "rate(http_requests_total[5m]) * on (instance) group_left node_memory_free_bytes",
  "hour(timestamp(batch_items))",
  "minute(timestamp(batch_items))",
  "day_of_week(timestamp(batch_items))",
  "days_in_month(timestamp(batch_items))",
  "sum(rate(http_requests_total[5m])) by (job) > ignoring (job) group_left sum(rate(http_requests_total[5m]))",
  // Errors: both must refuse, with the same errorType.
  "sum(",
  "rate(http_requests_total)",
  "http_requests_total + on () node_memory_free_bytes",
];

describe("differential: edgeprom against Prometheus 2.42 on the same data", () => {
  beforeAll(async () => {
    prometheus = await startPrometheus();
    const now = Date.now();
    data = differentialData(Math.floor((now - 62 * 60_000) / 60_000) * 60_000 + 7_500, 60);
    for (let i = 0; i < data.series.length; i += 20) {
      const body = snappyEncode(encodeWriteRequestV1({ series: data.series.slice(i, i + 20) }));
      for (const base of [edgeprom, prometheus.url]) {
        const res = await fetch(`${base}/api/v1/write`, {
          method: "POST",
          body,
          headers: {
            "Content-Type": "application/x-protobuf",
            "Content-Encoding": "snappy",
            "X-Prometheus-Remote-Write-Version": "0.1.0",
          },
        });
        expect(res.status, `${base}: ${await res.text()}`).toBeLessThan(300);
      }
    }
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it("agrees on every instant query of the corpus at three times", async () => {
    const failures: string[] = [];
    for (const t of [
      data.start + 12 * 60_000 + 22_500,
      data.start + 31 * 60_000 + 22_500,
      data.end - 60_000 - 22_500,
    ]) {
      for (const q of CORPUS) {
        const params = { query: q, time: String(t / 1000) };
        const diff = compare(
          await query(edgeprom, "/api/v1/query", params),
          await query(prometheus.url, "/api/v1/query", params),
        );
        if (diff.length > 0) failures.push(`${q} @${t}: ${diff.join("; ")}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("agrees on every range query of the corpus", async () => {
    const failures: string[] = [];
    const params = (q: string) => ({
      query: q,
      start: String((data.start + 10 * 60_000 + 22_500) / 1000),
      end: String((data.end - 22_500) / 1000),
      step: "60",
    });
    for (const q of CORPUS) {
      const diff = compare(
        await query(edgeprom, "/api/v1/query_range", params(q)),
        await query(prometheus.url, "/api/v1/query_range", params(q)),
      );
      if (diff.length > 0) failures.push(`${q}: ${diff.join("; ")}`);
    }
    expect(failures).toEqual([]);
  });
});
