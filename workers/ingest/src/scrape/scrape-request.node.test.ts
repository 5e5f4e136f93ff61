import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { testdataPath } from "@edgeprom/testdata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type ScrapeConfig } from "../config";
import type { Fetcher } from "../discovery/fetcher";
import { scrapeAcceptHeader, type MetricFamily } from "../expfmt";
import type { NativeHistogram } from "../remotewrite/model";
import type { Label } from "../relabel";
import { scrapeOutcomeBatch } from "./outcome-batch";
import { ScrapeLoopState } from "./scrape-loop";
import { exposedSamples, scrapeTarget } from "./scrape-request";
import { isStaleNaN } from "./stale-nan";
import { buildTargets, type ScrapeTarget } from "./target";

// A real HTTP server on 127.0.0.1 playing scrape targets, one behaviour per path.
interface Exposition {
  readonly status?: number;
  readonly contentType?: string;
  readonly body: Uint8Array | string;
  readonly gzip?: boolean;
  readonly delay?: number;
}

const pages = new Map<string, Exposition>();
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
let server: Server;
let address = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? "", headers: request.headers });
    const page = pages.get((request.url ?? "").split("?")[0]) ?? { status: 404, contentType: "text/plain", body: "" };
    const send = () => {
      const body = typeof page.body === "string" ? Buffer.from(page.body) : Buffer.from(page.body);
      const headers: Record<string, string> = { "Content-Type": page.contentType ?? "text/plain; version=0.0.4" };
      if (page.gzip) headers["Content-Encoding"] = "gzip";
      response.writeHead(page.status ?? 200, headers);
      response.end(page.gzip ? gzipSync(body) : body);
    };
    if (page.delay) setTimeout(send, page.delay);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const realFetch: Fetcher = (url, init) => fetch(url, init);

function setup(path: string, extra = ""): { job: ScrapeConfig; target: ScrapeTarget } {
  const job = loadConfig(`
scrape_configs:
  - job_name: t
    metrics_path: ${path}
    static_configs: [{ targets: ["${address}"] }]
${extra}
`).scrapeConfigs[0];
  return { job, target: buildTargets(job, job.staticConfigs).active[0] };
}

const asMap = (labels: readonly Label[]) => Object.fromEntries(labels.map((label) => [label.name, label.value]));

const TEXT = `# TYPE requests_total counter
requests_total{code="200"} 10
requests_total{code="500"} 2 1700000000000
# TYPE temperature gauge
temperature 21.5
`;

describe("scrapeTarget", () => {
  it("scrapes Prometheus text with Prometheus's request headers", async () => {
    pages.set("/text", { body: TEXT });
    const { job, target } = setup("/text", '    authorization: { credentials: "${TOKEN}" }');
    const response = await scrapeTarget(target, job, { fetch: realFetch, env: { TOKEN: "t" } });
    expect(response.format).toBe("prometheus-text");
    expect(response.bodySize).toBe(TEXT.length);
    expect("samples" in response.result).toBe(true);
    if (!("samples" in response.result)) return;
    expect(response.result.samples.map((s) => [asMap(s.labels), s.value, s.timestamp])).toEqual([
      [{ __name__: "requests_total", code: "200" }, 10, undefined],
      [{ __name__: "requests_total", code: "500" }, 2, 1_700_000_000_000],
      [{ __name__: "temperature" }, 21.5, undefined],
    ]);
    const request = seen.findLast((r) => r.path === "/text")!;
    expect(request.headers.accept).toBe(scrapeAcceptHeader(job.scrapeProtocols, "allow-utf-8"));
    expect(request.headers.authorization).toBe("Bearer t");
    expect(request.headers["x-prometheus-scrape-timeout-seconds"]).toBe("10");
    expect(request.headers["accept-encoding"]).toContain("gzip");
  });

  it("reads gzip-compressed OpenMetrics and the protobuf format", async () => {
    pages.set("/om", {
      contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8",
      body: "# TYPE up_seconds gauge\nup_seconds 3 1700000000.5\n# EOF\n",
      gzip: true,
    });
    const om = setup("/om");
    const omResponse = await scrapeTarget(om.target, om.job, { fetch: realFetch, env: {} });
    expect(omResponse.format).toBe("openmetrics");
    expect("samples" in omResponse.result && omResponse.result.samples[0].timestamp).toBe(1_700_000_000_500);

    const protobuf = readFileSync(testdataPath("exposition/common-expfmt/testdata/protobuf"));
    pages.set("/proto", {
      contentType: "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
      body: protobuf,
    });
    const pb = setup("/proto");
    const pbResponse = await scrapeTarget(pb.target, pb.job, { fetch: realFetch, env: {} });
    expect(pbResponse.format).toBe("protobuf");
    expect("samples" in pbResponse.result && pbResponse.result.samples.length).toBeGreaterThan(10);
  });

  it("fails on a non-200 status, a slow target, a big body or an unknown Content-Type", async () => {
    pages.set("/500", { status: 500, body: "oops" });
    pages.set("/slow", { body: TEXT, delay: 1_500 });
    pages.set("/big", { body: "x 1\n".repeat(1000) });
    pages.set("/html", { contentType: "text/html", body: "<html>" });
    const error = async (path: string, extra = "") => {
      const { job, target } = setup(path, extra);
      const response = await scrapeTarget(target, job, { fetch: realFetch, env: {} });
      return { error: "error" in response.result ? response.result.error : undefined, bodySize: response.bodySize };
    };
    expect((await error("/500")).error).toBe("server returned HTTP status 500 Internal Server Error");
    expect((await error("/slow", "    scrape_interval: 2s\n    scrape_timeout: 500ms")).error).toBe(
      "context deadline exceeded",
    );
    expect(await error("/big", "    body_size_limit: 1KB")).toEqual({
      error: "body size limit exceeded",
      bodySize: -1,
    });
    expect((await error("/html")).error).toMatch(/unsupported exposition Content-Type "text\/html"/);
    // With a fallback protocol an unknown Content-Type is parsed as that format.
    pages.set("/plain", { contentType: "", body: TEXT });
    const { job, target } = setup("/plain", "    fallback_scrape_protocol: PrometheusText0.0.4");
    const response = await scrapeTarget(target, job, { fetch: realFetch, env: {} });
    expect("samples" in response.result && response.result.samples.length).toBe(3);
    expect((await error("/missing-secret", '    authorization: { credentials: "${NOPE}" }')).error).toBe(
      "Worker secret NOPE is not set (run: npx wrangler secret put NOPE)",
    );
  });

  it("feeds the scrape loop and storage batches end to end", async () => {
    pages.set("/e2e", { body: TEXT });
    const { job, target } = setup("/e2e");
    const loop = new ScrapeLoopState({ ...job, targetLabels: target.publicLabels, timeout: target.timeout });
    const first = await scrapeTarget(target, job, { fetch: realFetch, env: {} });
    const outcome = loop.append({ timestamp: 1_700_000_015_000, duration: first.duration, result: first.result });
    expect(outcome.samples.map((s) => [asMap(s.labels).__name__, s.timestamp])).toEqual([
      ["requests_total", 1_700_000_015_000],
      ["requests_total", 1_700_000_000_000],
      ["temperature", 1_700_000_015_000],
    ]);
    expect(asMap(outcome.samples[0].labels)).toMatchObject({ job: "t", instance: address });
    pages.set("/e2e", { body: "# TYPE temperature gauge\ntemperature 22\n" });
    const second = await scrapeTarget(target, job, { fetch: realFetch, env: {} });
    const next = loop.append({ timestamp: 1_700_000_030_000, duration: second.duration, result: second.result });
    const batch = scrapeOutcomeBatch(next);
    const stale = batch.filter((entry) => entry.samples?.some((sample) => isStaleNaN(sample.v)));
    // requests_total{code="200"} vanished; the series with its own timestamp is not tracked for staleness.
    expect(stale.map((entry) => asMap(entry.labels))).toEqual([
      { __name__: "requests_total", code: "200", instance: address, job: "t" },
    ]);
    expect(batch.find((entry) => asMap(entry.labels).__name__ === "up")?.samples).toEqual([
      { t: 1_700_000_030_000, v: 1 },
    ]);
  });
});

describe("scrapeAcceptHeader", () => {
  it("matches Prometheus 3's header", () => {
    expect(
      scrapeAcceptHeader(
        ["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"],
        "allow-utf-8",
      ),
    ).toBe(
      "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6," +
        "application/openmetrics-text;version=0.0.1;q=0.5," +
        "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4," +
        "text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
    );
    expect(scrapeAcceptHeader(["PrometheusProto"], "underscores")).toBe(
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,*/*;q=0.5",
    );
  });
});

describe("exposedSamples and histogram switches", () => {
  const native: NativeHistogram = {
    isFloat: false,
    schema: 0,
    zeroThreshold: 0,
    zeroCount: 0,
    count: 4,
    sum: 10,
    positiveSpans: [{ offset: 0, length: 1 }],
    positiveBuckets: [4],
    negativeSpans: [],
    negativeBuckets: [],
    counterResetHint: "unknown",
    customValues: [],
  };
  const sample = (name: string, labels: Label[], value: number, histogram: NativeHistogram | null = null) => ({
    name,
    labels,
    value,
    timestamp: null,
    createdTimestamp: null,
    exemplars: [],
    histogram,
  });
  const family = (withClassic: boolean): MetricFamily => ({
    name: "latency",
    type: "histogram",
    help: "",
    unit: "",
    samples: [
      sample("latency", [{ name: "a", value: "1" }], Number.NaN, native),
      ...(withClassic
        ? [
            sample(
              "latency_bucket",
              [
                { name: "a", value: "1" },
                { name: "le", value: "1" },
              ],
              4,
            ),
            sample(
              "latency_bucket",
              [
                { name: "a", value: "1" },
                { name: "le", value: "+Inf" },
              ],
              4,
            ),
            sample("latency_sum", [{ name: "a", value: "1" }], 10),
            sample("latency_count", [{ name: "a", value: "1" }], 4),
          ]
        : []),
    ],
  });
  const { job } = {
    job: loadConfig("scrape_configs: [{ job_name: h, static_configs: [{ targets: [h:1] }] }]").scrapeConfigs[0],
  };
  const target = buildTargets(job, job.staticConfigs).active[0];
  const names = (samples: ReturnType<typeof exposedSamples>) =>
    samples.map(
      (s) =>
        `${asMap(s.labels).__name__}${asMap(s.labels).le ? `{le=${asMap(s.labels).le}}` : ""}:${typeof s.value === "number" ? s.value : "histogram"}`,
    );

  it("without native histograms, keeps classic parts or synthesises a +Inf bucket", () => {
    expect(names(exposedSamples([family(true)], target))).toEqual([
      "latency_bucket{le=1}:4",
      "latency_bucket{le=+Inf}:4",
      "latency_sum:10",
      "latency_count:4",
    ]);
    expect(names(exposedSamples([family(false)], target))).toEqual([
      "latency_bucket{le=+Inf}:4",
      "latency_count:4",
      "latency_sum:10",
    ]);
  });

  it("with native histograms, drops classic parts unless asked to keep them", () => {
    const nativeTarget = { ...target, scrapeNativeHistograms: true };
    expect(names(exposedSamples([family(true)], nativeTarget))).toEqual(["latency:histogram"]);
    expect(names(exposedSamples([family(true)], { ...nativeTarget, alwaysScrapeClassicHistograms: true }))).toEqual([
      "latency:histogram",
      "latency_bucket{le=1}:4",
      "latency_bucket{le=+Inf}:4",
      "latency_sum:10",
      "latency_count:4",
    ]);
  });
});
