import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { buildTargets } from "../scrape/target";
import { resolveDnsTargetGroups } from "./dns-sd";
import { DiscoveryError, type Fetcher } from "./fetcher";
import { canonicalIp } from "./ip-address";

// A real DNS-over-HTTPS JSON endpoint on 127.0.0.1 answering from this zone.
const zone: Record<string, { Status: number; Answer?: { name: string; type: number; TTL: number; data: string }[] }> = {
  "_node._tcp.example.com/SRV": {
    Status: 0,
    Answer: [
      { name: "_node._tcp.example.com.", type: 33, TTL: 60, data: "10 5 9100 node1.example.com." },
      { name: "_node._tcp.example.com.", type: 33, TTL: 60, data: "10 5 9101 node2.example.com." },
    ],
  },
  "web.example.com/A": {
    Status: 0,
    Answer: [
      { name: "web.example.com.", type: 5, TTL: 60, data: "lb.example.com." },
      { name: "lb.example.com.", type: 1, TTL: 60, data: "192.0.2.10" },
      { name: "lb.example.com.", type: 1, TTL: 60, data: "192.0.2.11" },
    ],
  },
  "web.example.com/AAAA": {
    Status: 0,
    Answer: [{ name: "web.example.com.", type: 28, TTL: 60, data: "2001:0db8:0000:0000:0000:0000:0000:0001" }],
  },
  "example.com/MX": { Status: 0, Answer: [{ name: "example.com.", type: 15, TTL: 60, data: "10 mail.example.com." }] },
  "example.com/NS": { Status: 0, Answer: [{ name: "example.com.", type: 2, TTL: 60, data: "ns1.example.com." }] },
  "missing.example.com/A": { Status: 3 },
  "broken.example.com/A": { Status: 2 },
};

let server: Server;
let doh = "";
const accepts: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    accepts.push(String(request.headers.accept));
    const answer = zone[`${url.searchParams.get("name")}/${url.searchParams.get("type")}`] ?? { Status: 3 };
    response.writeHead(200, { "Content-Type": "application/dns-json" });
    response.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  doh = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dns-query`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const realFetch: Fetcher = (url, init) => fetch(url, init);

function job(sd: string) {
  return loadConfig(`
scrape_configs:
  - job_name: dns
    dns_sd_configs:
      - doh_url: ${doh}
        ${sd}
`).scrapeConfigs[0];
}

describe("resolveDnsTargetGroups", () => {
  it("turns SRV records into host:port targets with Prometheus's meta labels", async () => {
    const config = job("names: [_node._tcp.example.com]");
    const groups = await resolveDnsTargetGroups(config.dnsSdConfigs[0], realFetch);
    expect(groups).toEqual([
      {
        source: "_node._tcp.example.com",
        labels: {},
        targets: [
          {
            __address__: "node1.example.com:9100",
            __meta_dns_name: "_node._tcp.example.com",
            __meta_dns_srv_record_target: "node1.example.com.",
            __meta_dns_srv_record_port: "9100",
          },
          {
            __address__: "node2.example.com:9101",
            __meta_dns_name: "_node._tcp.example.com",
            __meta_dns_srv_record_target: "node2.example.com.",
            __meta_dns_srv_record_port: "9101",
          },
        ],
      },
    ]);
    expect(accepts.at(-1)).toBe("application/dns-json");
    const targets = buildTargets(config, groups).active;
    expect(targets.map((target) => target.url)).toEqual([
      "http://node1.example.com:9100/metrics",
      "http://node2.example.com:9101/metrics",
    ]);
  });

  it("uses the configured port for A and AAAA records and skips CNAMEs", async () => {
    const a = await resolveDnsTargetGroups(
      job("names: [web.example.com]\n        type: A\n        port: 80").dnsSdConfigs[0],
      realFetch,
    );
    expect(a[0].targets.map((target) => target.__address__)).toEqual(["192.0.2.10:80", "192.0.2.11:80"]);
    const aaaa = await resolveDnsTargetGroups(
      job("names: [web.example.com]\n        type: AAAA\n        port: 80").dnsSdConfigs[0],
      realFetch,
    );
    expect(aaaa[0].targets).toEqual([{ __address__: "[2001:db8::1]:80", __meta_dns_name: "web.example.com" }]);
  });

  it("supports MX and NS records", async () => {
    const mx = await resolveDnsTargetGroups(
      job("names: [example.com]\n        type: MX\n        port: 25").dnsSdConfigs[0],
      realFetch,
    );
    expect(mx[0].targets).toEqual([
      {
        __address__: "mail.example.com:25",
        __meta_dns_name: "example.com",
        __meta_dns_mx_record_target: "mail.example.com.",
      },
    ]);
    const ns = await resolveDnsTargetGroups(
      job("names: [example.com]\n        type: NS\n        port: 53").dnsSdConfigs[0],
      realFetch,
    );
    expect(ns[0].targets).toEqual([
      {
        __address__: "ns1.example.com:53",
        __meta_dns_name: "example.com",
        __meta_dns_ns_record_target: "ns1.example.com.",
      },
    ]);
  });

  it("gives an empty group for NXDOMAIN and fails on other DNS errors", async () => {
    const missing = await resolveDnsTargetGroups(
      job("names: [missing.example.com]\n        type: A\n        port: 80").dnsSdConfigs[0],
      realFetch,
    );
    expect(missing).toEqual([{ source: "missing.example.com", targets: [], labels: {} }]);
    await expect(
      resolveDnsTargetGroups(
        job("names: [broken.example.com]\n        type: A\n        port: 80").dnsSdConfigs[0],
        realFetch,
      ),
    ).rejects.toThrow(DiscoveryError);
  });
});

describe("canonicalIp", () => {
  it("formats addresses like Go's net.IP.String", () => {
    expect(canonicalIp("2001:0DB8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(canonicalIp("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(canonicalIp("2001:db8:0:1:1:1:1:1")).toBe("2001:db8:0:1:1:1:1:1");
    expect(canonicalIp("::")).toBe("::");
    expect(canonicalIp("::1")).toBe("::1");
    expect(canonicalIp("fe80::")).toBe("fe80::");
    expect(canonicalIp("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(canonicalIp("64:ff9b::192.0.2.1")).toBe("64:ff9b::c000:201");
    expect(canonicalIp("192.0.2.1")).toBe("192.0.2.1");
    expect(canonicalIp("256.0.0.1")).toBeUndefined();
    expect(canonicalIp("1::2::3")).toBeUndefined();
    expect(canonicalIp("example.com")).toBeUndefined();
  });
});
