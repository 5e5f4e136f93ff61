import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { labelsOf, shardCountFrom, ShardedWriter, STALE_NAN } from "@edgeprom/tsdb";

const LOOPBACK = { "CF-Connecting-IP": "127.0.0.1" };
const BASE = 1_700_000_000_000;

interface ApiBody<T> {
  status: string;
  data: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: ApiBody<T> }> {
  const res = await SELF.fetch(`http://edgeprom.test${path}`, { ...init, headers: { ...LOOPBACK, ...init.headers } });
  return { status: res.status, body: (await res.json()) as ApiBody<T> };
}

type VectorResult = { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
type MatrixResult = { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };

describe("the Prometheus query API over the shards", () => {
  beforeAll(async () => {
    const writer = new ShardedWriter(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
    const minutes = Array.from({ length: 31 }, (_, i) => BASE + i * 60_000);
    await writer.append([
      ...["a", "b", "c"].map((instance, k) => ({
        labels: labelsOf("__name__", "http_requests_total", "job", "api", "instance", instance),
        samples: minutes.map((t, i) => ({ t, v: (k + 1) * 60 * i })),
      })),
      { labels: labelsOf("__name__", "up", "job", "api", "instance", "a"), samples: minutes.map((t) => ({ t, v: 1 })) },
      {
        labels: labelsOf("__name__", "up", "job", "api", "instance", "b"),
        samples: [...minutes.slice(0, 10).map((t) => ({ t, v: 1 })), { t: minutes[10]!, v: STALE_NAN }],
      },
      { labels: labelsOf("__name__", "temperature.celsius", "room", "lab"), samples: [{ t: BASE, v: 21.5 }] },
    ]);
  });

  it("answers instant queries with Prometheus's vector shape", async () => {
    const { status, body } = await api<VectorResult>(`/api/v1/query?query=up&time=${(BASE + 20 * 60_000) / 1000}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      status: "success",
      data: {
        resultType: "vector",
        result: [{ metric: { __name__: "up", instance: "a", job: "api" }, value: [(BASE + 20 * 60_000) / 1000, "1"] }],
      },
    });
  });

  it("evaluates rate and aggregation over a range, by form-encoded POST as Grafana sends it", async () => {
    const form = new URLSearchParams({
      query: "sum by (job) (rate(http_requests_total[5m]))",
      start: String((BASE + 10 * 60_000) / 1000),
      end: String((BASE + 12 * 60_000) / 1000),
      step: "60",
    });
    const { status, body } = await api<MatrixResult>("/api/v1/query_range", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(status).toBe(200);
    expect(body.data.resultType).toBe("matrix");
    expect(body.data.result.map((r) => r.metric)).toEqual([{ job: "api" }]);
    const points = body.data.result[0]!.values;
    expect(points.map(([t]) => t)).toEqual([10, 11, 12].map((m) => (BASE + m * 60_000) / 1000));
    for (const [, v] of points) expect(Number(v)).toBeCloseTo(6, 9);
  });

  it("gzips a large query answer for a client that accepts gzip, and the client reads it back", async () => {
    const query = new URLSearchParams({
      query: "http_requests_total",
      start: String(BASE / 1000),
      end: String((BASE + 30 * 60_000) / 1000),
      step: "1",
    });
    const plain = await SELF.fetch(`http://edgeprom.test/api/v1/query_range?${query}`, { headers: LOOPBACK });
    const gzipped = await SELF.fetch(`http://edgeprom.test/api/v1/query_range?${query}`, {
      headers: { ...LOOPBACK, "Accept-Encoding": "gzip" },
    });
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(gzipped.headers.get("Content-Encoding")).toBe("gzip");
    expect(gzipped.headers.get("Vary")).toBe("Accept-Encoding");
    const body = (await gzipped.json()) as ApiBody<MatrixResult>;
    expect(body).toEqual(await plain.json());
    expect(body.data.result).toHaveLength(3);
    expect(body.data.result[0]!.values).toHaveLength(30 * 60 + 1);
  });

  it("formats numbers and timestamps as Prometheus does", async () => {
    const { body } = await api<{ resultType: string; result: [number, string] }>(
      `/api/v1/query?query=${encodeURIComponent("1e21 * 1")}&time=1700000000.123`,
    );
    expect(body.data).toEqual({ resultType: "scalar", result: [1700000000.123, "1000000000000000000000"] });
  });

  it("answers series, label names and label values, also for UTF-8 names", async () => {
    const series = await api<Record<string, string>[]>(`/api/v1/series?match[]=up&start=${BASE / 1000}`);
    expect(series.body.data).toEqual([
      { __name__: "up", instance: "a", job: "api" },
      { __name__: "up", instance: "b", job: "api" },
    ]);
    const names = await api<string[]>("/api/v1/labels");
    expect(names.body.data).toEqual(["__name__", "instance", "job", "room"]);
    const values = await api<string[]>("/api/v1/label/__name__/values");
    expect(values.body.data).toEqual(["http_requests_total", "temperature.celsius", "up"]);
    const limited = await api<string[]>("/api/v1/label/instance/values?limit=2");
    expect(limited.body).toEqual({ status: "success", data: ["a", "b"], warnings: ["results truncated due to limit"] });
    const quoted = await api<VectorResult>(
      `/api/v1/query?query=${encodeURIComponent('{"temperature.celsius"}')}&time=${BASE / 1000}`,
    );
    expect(quoted.body.data.result[0]?.value[1]).toBe("21.5");
  });

  it("answers bad queries and parameters with bad_data and Prometheus's messages", async () => {
    const bad = await api("/api/v1/query?query=sum(");
    expect(bad.status).toBe(400);
    expect(bad.body.errorType).toBe("bad_data");
    expect(bad.body.error).toMatch(/^invalid parameter "query": 1:5: parse error: /);
    const time = await api("/api/v1/query?query=up&time=yesterday");
    expect([time.status, time.body.error]).toEqual([
      400,
      'invalid parameter "time": cannot parse "yesterday" to a valid timestamp',
    ]);
    const step = await api("/api/v1/query_range?query=up&start=0&end=100&step=0");
    expect(step.body.error).toContain("zero or negative query resolution step widths are not accepted");
    const noMatch = await api("/api/v1/series");
    expect([noMatch.status, noMatch.body.error]).toEqual([400, "no match[] parameter provided"]);
    const exec = await api(
      `/api/v1/query?query=${encodeURIComponent("http_requests_total + on() up")}&time=${(BASE + 60_000) / 1000}`,
    );
    expect([exec.status, exec.body.errorType]).toEqual([422, "execution"]);
  });

  it("reports cardinality in /api/v1/status/tsdb and deletes series through the admin API", async () => {
    const status = await api<{
      headStats: { numSeries: number };
      seriesCountByMetricName: { name: string; value: number }[];
    }>("/api/v1/status/tsdb");
    expect(status.body.data.headStats.numSeries).toBe(6);
    expect(status.body.data.seriesCountByMetricName[0]).toEqual({ name: "http_requests_total", value: 3 });
    const deleted = await SELF.fetch("http://edgeprom.test/api/v1/admin/tsdb/delete_series?match[]=up", {
      method: "POST",
      headers: LOOPBACK,
    });
    expect(deleted.status).toBe(204);
    const after = await api<VectorResult>(`/api/v1/query?query=up&time=${(BASE + 5 * 60_000) / 1000}`);
    expect(after.body.data.result).toEqual([]);
  });

  it("serves edgeprom's own metrics in the text format on /metrics", async () => {
    const res = await SELF.fetch("http://edgeprom.test/metrics", { headers: LOOPBACK });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    expect(text).toContain("# TYPE edgeprom_tsdb_head_series gauge\n");
    const series = [...text.matchAll(/^edgeprom_tsdb_head_series\{shard="shard-\d+"\} (\d+)$/gm)].map((m) =>
      Number(m[1]),
    );
    expect(series).toHaveLength(Number(env.EDGEPROM_SHARDS));
    expect(series.reduce((a, b) => a + b, 0)).toBe(6);
    expect(text).toMatch(/^edgeprom_build_info\{version="[^"]+",revision="[^"]*",branch="[^"]*"\} 1$/m);
  });

  it("serves the latest sample of matching series on /federate, leaving out stale series", async () => {
    const res = await SELF.fetch(
      `http://edgeprom.test/federate?match[]=${encodeURIComponent('{job="api"}')}&match[]=up`,
      { headers: LOOPBACK },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const lines = (await res.text()).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    // Data ends at BASE+30m, long before now: federation looks back five minutes only.
    expect(lines).toEqual([]);
    const none = await SELF.fetch("http://edgeprom.test/federate", { headers: LOOPBACK });
    expect(none.status).toBe(400);
  });

  it("answers rules, alerts and alertmanagers in Prometheus's shapes", async () => {
    expect((await api("/api/v1/rules")).body).toEqual({ status: "success", data: { groups: [] } });
    expect((await api("/api/v1/alerts")).body).toEqual({ status: "success", data: { alerts: [] } });
    expect((await api("/api/v1/alertmanagers")).body.data).toEqual({
      activeAlertmanagers: [],
      droppedAlertmanagers: [],
    });
  });

  it("formats and parses queries as Prometheus's format_query and parse_query do", async () => {
    const formatted = await api<string>(`/api/v1/format_query?query=${encodeURIComponent("sum(rate(x[5m]))by(job)")}`);
    expect(formatted.body).toEqual({ status: "success", data: "sum by (job) (rate(x[5m]))" });
    const parsed = await api<{ type: string; op: string; grouping: string[] }>(
      `/api/v1/parse_query?query=${encodeURIComponent("sum by (job) (up)")}`,
    );
    expect(parsed.body.data).toMatchObject({ type: "aggregation", op: "sum", grouping: ["job"] });
    const bad = await api("/api/v1/format_query?query=sum(");
    expect(bad.status).toBe(400);
  });
});
