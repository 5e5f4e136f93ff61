import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { buildTargets } from "../scrape/target";
import type { Fetcher } from "./fetcher";
import { DiscoveryError } from "./fetcher";
import { fetchHttpTargetGroups } from "./http-sd";
import { discoveryProviders } from "./providers";

// A real HTTP server on 127.0.0.1 serving discovery responses per path.
interface Reply {
  readonly status?: number;
  readonly contentType?: string;
  readonly body: string;
}

const replies = new Map<string, Reply>();
const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ path: request.url ?? "", headers: request.headers });
    const reply = replies.get(request.url ?? "") ?? { status: 404, contentType: "text/plain", body: "not found" };
    response.writeHead(reply.status ?? 200, { "Content-Type": reply.contentType ?? "application/json" });
    response.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const realFetch: Fetcher = (url, init) => fetch(url, init);

function sdConfig(path: string, extra = "") {
  const config = loadConfig(`
scrape_configs:
  - job_name: sd
    http_sd_configs:
      - url: ${base}${path}
        refresh_interval: 15s
${extra}
`).scrapeConfigs[0];
  return { job: config, sd: config.httpSdConfigs[0] };
}

describe("fetchHttpTargetGroups", () => {
  it("reads target groups, adds __meta_url and sends Prometheus's headers", async () => {
    replies.set("/targets", {
      body: JSON.stringify([
        { targets: ["10.0.0.1:9100", "10.0.0.2:9100"], labels: { __meta_datacenter: "eu", env: "prod" } },
        { targets: ["10.0.0.3:9100"] },
      ]),
    });
    const { sd } = sdConfig("/targets");
    const groups = await fetchHttpTargetGroups(sd, realFetch, { env: {} });
    const url = `${base}/targets`;
    expect(groups).toEqual([
      {
        source: `${url}:0`,
        targets: [{ __address__: "10.0.0.1:9100" }, { __address__: "10.0.0.2:9100" }],
        labels: { __meta_datacenter: "eu", env: "prod", __meta_url: url },
      },
      { source: `${url}:1`, targets: [{ __address__: "10.0.0.3:9100" }], labels: { __meta_url: url } },
    ]);
    const request = requests.findLast((r) => r.path === "/targets")!;
    expect(request.headers.accept).toBe("application/json");
    expect(request.headers["x-prometheus-refresh-interval-seconds"]).toBe("15");
  });

  it("sends credentials from Worker secrets", async () => {
    replies.set("/auth", { body: "[]" });
    const { sd } = sdConfig("/auth", `        authorization: { credentials: "\${SD_TOKEN}" }`);
    await fetchHttpTargetGroups(sd, realFetch, { env: { SD_TOKEN: "s3cret" } });
    expect(requests.findLast((r) => r.path === "/auth")!.headers.authorization).toBe("Bearer s3cret");
    const basic = sdConfig("/auth", `        basic_auth: { username: ü, password: "\${PW}" }`).sd;
    await fetchHttpTargetGroups(basic, realFetch, { env: { PW: "p:w" } });
    expect(requests.findLast((r) => r.path === "/auth")!.headers.authorization).toBe(
      `Basic ${Buffer.from("ü:p:w").toString("base64")}`,
    );
  });

  it("feeds target building", async () => {
    replies.set("/relabel", { body: JSON.stringify([{ targets: ["h:1"], labels: { team: "a" } }]) });
    const { job } = sdConfig(
      "/relabel",
      `    relabel_configs:
      - source_labels: [__meta_url]
        regex: ".*/(.*)"
        target_label: sd_path`,
    );
    const [provider] = discoveryProviders(job, { fetch: realFetch, env: {} });
    expect(provider.id).toBe("http_sd_configs[0]");
    expect(provider.refreshInterval).toBe(15_000);
    const set = buildTargets(job, await provider.refresh());
    expect(Object.fromEntries(set.active[0].publicLabels.map((l) => [l.name, l.value]))).toEqual({
      instance: "h:1",
      job: "sd",
      sd_path: "relabel",
      team: "a",
    });
  });

  it("accepts only status 200 and a JSON content type", async () => {
    replies.set("/500", { status: 500, body: "[]" });
    replies.set("/html", { contentType: "text/html", body: "[]" });
    replies.set("/charset", { contentType: 'application/json; charset="utf-8"', body: "[]" });
    await expect(fetchHttpTargetGroups(sdConfig("/500").sd, realFetch, { env: {} })).rejects.toThrow(
      "server returned HTTP status 500 Internal Server Error",
    );
    await expect(fetchHttpTargetGroups(sdConfig("/html").sd, realFetch, { env: {} })).rejects.toThrow(
      'unsupported content type "text/html"',
    );
    await expect(fetchHttpTargetGroups(sdConfig("/charset").sd, realFetch, { env: {} })).resolves.toEqual([]);
  });

  it("rejects malformed bodies like Prometheus", async () => {
    const cases: [string, string][] = [
      ["{}", "expected a JSON array of target groups"],
      ["[null]", "nil target group item found"],
      ['[{"targets": ["a"], "extra": 1}]', 'unknown field "extra"'],
      ['[{"targets": [1]}]', '"targets" must be a list of strings'],
      ['[{"targets": ["a"], "labels": {"x": 1}}]', 'label "x" must have a string value'],
      ["[", "invalid JSON"],
    ];
    for (const [body, message] of cases) {
      replies.set("/bad", { body });
      const attempt = fetchHttpTargetGroups(sdConfig("/bad").sd, realFetch, { env: {} });
      await expect(attempt, body).rejects.toThrow(DiscoveryError);
      await expect(fetchHttpTargetGroups(sdConfig("/bad").sd, realFetch, { env: {} }), body).rejects.toThrow(message);
    }
  });

  it("reports a connection failure as a DiscoveryError", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const sd = loadConfig(`scrape_configs: [{ job_name: x, http_sd_configs: [{ url: "http://127.0.0.1:${port}/" }] }]`)
      .scrapeConfigs[0].httpSdConfigs[0];
    await expect(fetchHttpTargetGroups(sd, realFetch, { env: {} })).rejects.toThrow(DiscoveryError);
  });

  it("fails clearly when a referenced secret is missing", async () => {
    const { sd } = sdConfig("/auth", `        authorization: { credentials: "\${MISSING}" }`);
    await expect(fetchHttpTargetGroups(sd, realFetch, { env: {} })).rejects.toThrow("Worker secret MISSING is not set");
  });
});
