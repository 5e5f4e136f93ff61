import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { decodeXorChunk } from "@edgeprom/tsdb";
import {
  CHUNKED_READ_CONTENT_TYPE,
  decodeReadRequest,
  encodeReadRequest,
  readChunkedFrames,
  snappyDecode,
  snappyEncode,
} from "@edgeprom/wire";
import { encodeWriteRequestV1 } from "../workers/ingest/src/remotewrite/encode";
import { startPrometheus, type PrometheusServer } from "./prometheus";

/**
 * Debian's Prometheus 2.42 reading edgeprom through `remote_read`: series remote-written to edgeprom come back from
 * Prometheus's own `/api/v1/query`, with Prometheus holding none of them locally. A recording proxy between the two
 * shows which response type Prometheus asked for (2.42's client only speaks SAMPLES; the streamed type is
 * checked by reading edgeprom directly).
 */
const edgeprom = inject("devServerUrl");
const STEP = 15_000;
const NOW = Math.floor(Date.now() / STEP) * STEP;
const POINTS = 40;
const START = NOW - (POINTS - 1) * STEP;

let prometheus: PrometheusServer;
let proxy: Server;
const askedTypes: number[][] = [];

function expected(instance: number, i: number): number {
  return 1000 * instance + i;
}

beforeAll(async () => {
  const series = [1, 2, 3].map((instance) => ({
    labels: [
      { name: "__name__", value: "rr_e2e_requests_total" },
      { name: "instance", value: `host-${instance}` },
      { name: "job", value: "remote-read-e2e" },
    ],
    samples: Array.from({ length: POINTS }, (_, i) => ({ value: expected(instance, i), timestamp: START + i * STEP })),
  }));
  const res = await fetch(`${edgeprom}/api/v1/write`, {
    method: "POST",
    body: snappyEncode(encodeWriteRequestV1({ series })),
    headers: {
      "Content-Type": "application/x-protobuf",
      "Content-Encoding": "snappy",
      "X-Prometheus-Remote-Write-Version": "0.1.0",
    },
  });
  expect(res.status, await res.text()).toBe(204);

  // Records each read request's accepted_response_types, then passes it to edgeprom unchanged.
  proxy = createServer((req, reply) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const body = new Uint8Array(Buffer.concat(parts));
      askedTypes.push(decodeReadRequest(snappyDecode(body)).acceptedResponseTypes);
      fetch(`${edgeprom}/api/v1/read`, { method: "POST", body, headers: req.headers as Record<string, string> }).then(
        async (upstream) => {
          reply.writeHead(upstream.status, Object.fromEntries(upstream.headers));
          reply.end(Buffer.from(await upstream.arrayBuffer()));
        },
        (err: unknown) => {
          reply.writeHead(502).end(String(err));
        },
      );
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const address = proxy.address();
  const port = typeof address === "object" && address ? address.port : 0;
  prometheus = await startPrometheus(
    [
      "global:",
      "  scrape_interval: 15s",
      "remote_read:",
      `  - url: http://127.0.0.1:${port}/api/v1/read`,
      "    read_recent: true",
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => proxy?.close(resolve));
});

type Vector = { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
type Matrix = { status: string; data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };

describe("Prometheus 2.42 reading edgeprom through remote_read", () => {
  it("answers an instant query with edgeprom's data", async () => {
    const params = new URLSearchParams({
      query: 'rr_e2e_requests_total{instance!="host-2"}',
      time: String(NOW / 1000),
    });
    const res = await fetch(`${prometheus.url}/api/v1/query?${params}`);
    const body = (await res.json()) as Vector;
    expect(body.status).toBe("success");
    const got = body.data.result.map((r) => [r.metric.instance, r.value]).sort();
    expect(got).toEqual([
      ["host-1", [NOW / 1000, String(expected(1, POINTS - 1))]],
      ["host-3", [NOW / 1000, String(expected(3, POINTS - 1))]],
    ]);
    expect(askedTypes.length).toBeGreaterThan(0);
    // 2.42's client sends no accepted_response_types, which means SAMPLES; it cannot be told to stream.
    expect(askedTypes.every((types) => types.length === 0)).toBe(true);
  });

  it("answers a range query and a rate over edgeprom's samples", async () => {
    const params = new URLSearchParams({
      query: "sum(rate(rr_e2e_requests_total[2m]))",
      start: String((NOW - 10 * STEP) / 1000),
      end: String(NOW / 1000),
      step: "15",
    });
    const body = (await (await fetch(`${prometheus.url}/api/v1/query_range?${params}`)).json()) as Matrix;
    expect(body.status).toBe("success");
    expect(body.data.result).toHaveLength(1);
    const values = body.data.result[0]!.values;
    expect(values).toHaveLength(11);
    // Every series grows by 1 per 15 s step: three of them make 0.2 per second.
    for (const [, v] of values) expect(Number(v)).toBeCloseTo(0.2, 9);
  });
});

describe("edgeprom's streamed remote read over HTTP", () => {
  it("streams whole XOR chunks that decode to the written samples", async () => {
    const request = encodeReadRequest({
      queries: [
        {
          startTimestampMs: START,
          endTimestampMs: NOW,
          matchers: [{ type: "=", name: "job", value: "remote-read-e2e" }],
        },
      ],
      acceptedResponseTypes: [1],
    });
    const res = await fetch(`${edgeprom}/api/v1/read`, {
      method: "POST",
      body: snappyEncode(request),
      headers: { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe(CHUNKED_READ_CONTENT_TYPE);
    const frames = readChunkedFrames(new Uint8Array(await res.arrayBuffer()));
    const series = frames.flatMap((f) => f.chunkedSeries);
    expect(series.map((s) => s.labels.find((l) => l.name === "instance")!.value)).toEqual([
      "host-1",
      "host-2",
      "host-3",
    ]);
    for (const [k, s] of series.entries()) {
      const values = s.chunks.flatMap((c) => [...decodeXorChunk(c.data).values]);
      expect(values).toEqual(Array.from({ length: POINTS }, (_, i) => expected(k + 1, i)));
    }
  });
});
