import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  decodeXorChunk,
  HistogramChunk,
  labelsOf,
  shardCountFrom,
  ShardedReader,
  ShardedWriter,
  STALE_NAN,
} from "@edgeprom/tsdb";
import {
  CHUNKED_READ_CONTENT_TYPE,
  decodeReadResponse,
  encodeReadRequest,
  readChunkedFrames,
  snappyDecode,
  snappyEncode,
  type LabelMatcher,
  type ReadRequest,
  type ReadResponse,
} from "@edgeprom/wire";
import { Hono } from "hono";
import { remoteReadHandler } from "./api/remote-read";
import { framesOfQuery } from "./api/remote-read-stream";

const LOOPBACK = { "CF-Connecting-IP": "127.0.0.1" };
const BASE = 1_710_000_000_000;
const STEP = 15_000;
const POINTS = 400;
const END = BASE + (POINTS - 1) * STEP;

function post(body: Uint8Array, headers: Record<string, string> = LOOPBACK): Promise<Response> {
  return SELF.fetch("http://edgeprom.test/api/v1/read", {
    method: "POST",
    headers: { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy", ...headers },
    body,
  });
}

async function readSamples(request: ReadRequest): Promise<ReadResponse> {
  const res = await post(snappyEncode(encodeReadRequest(request)));
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("application/x-protobuf");
  expect(res.headers.get("Content-Encoding")).toBe("snappy");
  return decodeReadResponse(snappyDecode(new Uint8Array(await res.arrayBuffer())));
}

function query(matchers: LabelMatcher[], start = BASE, end = END): ReadRequest["queries"][number] {
  return { startTimestampMs: start, endTimestampMs: end, matchers };
}

const nameIs = (name: string): LabelMatcher => ({ type: "=", name: "__name__", value: name });
const labelMap = (labels: readonly { name: string; value: string }[]): Record<string, string> =>
  Object.fromEntries(labels.map((l) => [l.name, l.value]));

describe("remote read (POST /api/v1/read)", () => {
  beforeAll(async () => {
    const writer = new ShardedWriter(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
    const times = Array.from({ length: POINTS }, (_, i) => BASE + i * STEP);
    await writer.append([
      ...["a", "b", "c"].map((instance, k) => ({
        labels: labelsOf("__name__", "rr_requests_total", "job", "api", "instance", instance),
        samples: times.map((t, i) => ({ t, v: (k + 1) * i })),
      })),
      {
        labels: labelsOf("__name__", "rr_up", "job", "db", "instance", "a"),
        samples: [...times.slice(0, 10).map((t) => ({ t, v: 1 })), { t: times[10]!, v: STALE_NAN }],
      },
      {
        labels: labelsOf("__name__", "rr_latency", "job", "api"),
        histograms: times.slice(0, 5).map((t, i) => ({
          t,
          h: {
            isFloat: false,
            schema: 0,
            zeroThreshold: 0.001,
            zeroCount: i,
            count: 3 * i + 1,
            sum: 10 * i + 0.5,
            positiveSpans: [{ offset: 0, length: 2 }],
            positiveBuckets: [i + 1, 2 * i],
            negativeSpans: [],
            negativeBuckets: [],
            counterResetHint: "unknown" as const,
          },
        })),
      },
    ]);
  });

  it("answers SAMPLES when no response type is asked for: one result per query, series sorted, range trimmed", async () => {
    const from = BASE + 100 * STEP;
    const to = BASE + 109 * STEP;
    const response = await readSamples({
      queries: [
        query([nameIs("rr_requests_total"), { type: "=", name: "instance", value: "b" }]),
        query([nameIs("rr_requests_total")], from, to),
      ],
      acceptedResponseTypes: [],
    });
    expect(response.results).toHaveLength(2);
    const [whole] = response.results[0]!.timeseries;
    expect(response.results[0]!.timeseries).toHaveLength(1);
    expect(labelMap(whole!.labels)).toEqual({ __name__: "rr_requests_total", instance: "b", job: "api" });
    expect(whole!.labels.map((l) => l.name)).toEqual(["__name__", "instance", "job"]);
    expect(whole!.samples.t).toHaveLength(POINTS);
    expect(whole!.samples.t[POINTS - 1]).toBe(END);
    expect(whole!.samples.v[123]).toBe(2 * 123);

    const trimmed = response.results[1]!.timeseries;
    expect(trimmed.map((s) => labelMap(s.labels).instance)).toEqual(["a", "b", "c"]);
    for (const [k, series] of trimmed.entries()) {
      expect(series.samples.t).toEqual(Array.from({ length: 10 }, (_, i) => from + i * STEP));
      expect([...series.samples.v]).toEqual(Array.from({ length: 10 }, (_, i) => (k + 1) * (100 + i)));
    }
  });

  it("applies every matcher type", async () => {
    const instances = async (matchers: LabelMatcher[]): Promise<string[]> => {
      const response = await readSamples({ queries: [query(matchers)], acceptedResponseTypes: [0] });
      return response.results[0]!.timeseries.map((s) => labelMap(s.labels).instance!);
    };
    expect(await instances([nameIs("rr_requests_total"), { type: "!=", name: "instance", value: "a" }])).toEqual([
      "b",
      "c",
    ]);
    expect(
      await instances([
        { type: "=~", name: "__name__", value: "rr_req.*" },
        { type: "=~", name: "instance", value: "a|c" },
      ]),
    ).toEqual(["a", "c"]);
    expect(await instances([nameIs("rr_requests_total"), { type: "!~", name: "instance", value: "[ab]" }])).toEqual([
      "c",
    ]);
    // Regexes are fully anchored: "requests" does not match "rr_requests_total".
    expect(await instances([{ type: "=~", name: "__name__", value: "requests" }])).toEqual([]);
  });

  it("keeps the stale marker's exact NaN bits and returns native histograms as integer histograms", async () => {
    const response = await readSamples({
      queries: [query([nameIs("rr_up")]), query([nameIs("rr_latency")], BASE + STEP, BASE + 3 * STEP)],
      acceptedResponseTypes: [],
    });
    const up = response.results[0]!.timeseries[0]!;
    expect(up.samples.t).toHaveLength(11);
    const words = new Uint32Array(up.samples.v.buffer);
    expect([words[20], words[21]]).toEqual([0x00000002, 0x7ff00000]);
    expect(up.histograms).toEqual([]);

    const latency = response.results[1]!.timeseries[0]!;
    expect(latency.samples.t).toHaveLength(0);
    expect(latency.histograms.map((h) => h.timestamp)).toEqual([BASE + STEP, BASE + 2 * STEP, BASE + 3 * STEP]);
    expect(latency.histograms[1]).toMatchObject({
      isFloat: false,
      schema: 0,
      zeroThreshold: 0.001,
      zeroCount: 2,
      count: 7,
      sum: 20.5,
      positiveSpans: [{ offset: 0, length: 2 }],
      positiveBuckets: [3, 4],
    });
  });

  it("streams STREAMED_XOR_CHUNKS frames holding the stored chunks, whole and untrimmed, with their query index", async () => {
    const from = BASE + 200 * STEP;
    const to = BASE + 205 * STEP;
    const res = await post(
      snappyEncode(
        encodeReadRequest({
          queries: [query([nameIs("rr_requests_total")], from, to), query([nameIs("rr_latency")])],
          acceptedResponseTypes: [1, 0],
        }),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe(CHUNKED_READ_CONTENT_TYPE);
    expect(res.headers.get("Content-Encoding")).toBeNull();
    const frames = readChunkedFrames(new Uint8Array(await res.arrayBuffer()));
    const floats = frames.filter((f) => f.queryIndex === 0).flatMap((f) => f.chunkedSeries);
    expect(floats.map((s) => labelMap(s.labels).instance)).toEqual(["a", "b", "c"]);
    for (const [k, series] of floats.entries()) {
      expect(series.chunks.length).toBeGreaterThan(0);
      const samples: [number, number][] = [];
      for (const chunk of series.chunks) {
        expect(chunk.type).toBe(1);
        expect(chunk.minTimeMs).toBeLessThanOrEqual(to);
        expect(chunk.maxTimeMs).toBeGreaterThanOrEqual(from);
        const { timestamps, values } = decodeXorChunk(chunk.data);
        expect(timestamps[0]).toBe(chunk.minTimeMs);
        expect(timestamps[timestamps.length - 1]).toBe(chunk.maxTimeMs);
        timestamps.forEach((t, i) => samples.push([t, values[i]!]));
      }
      // Whole chunks: samples on both sides of the asked range come along.
      expect(samples[0]![0]).toBeLessThan(from);
      expect(samples[samples.length - 1]![0]).toBeGreaterThan(to);
      for (const [t, v] of samples) expect(v).toBe((k + 1) * ((t - BASE) / STEP));
    }

    const histograms = frames.filter((f) => f.queryIndex === 1).flatMap((f) => f.chunkedSeries);
    expect(histograms).toHaveLength(1);
    const chunk = histograms[0]!.chunks[0]!;
    expect(chunk.type).toBe(2);
    const it = new HistogramChunk(chunk.data).iterator();
    const counts: number[] = [];
    while (it.next()) counts.push(it.atFloatHistogram().count);
    expect(counts).toEqual([1, 4, 7, 10, 13]);
  });

  it("splits a series over several frames when its chunks exceed the frame budget", async () => {
    const reader = new ShardedReader(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
    const series = await reader.select({ matchers: [nameIs("rr_requests_total")], mint: BASE, maxt: END });
    const chunkCount = series.reduce((n, s) => n + s.chunks.length, 0);
    expect(chunkCount).toBeGreaterThan(series.length);
    const bytes = [...framesOfQuery(series, 7, 1)];
    expect(bytes).toHaveLength(chunkCount);
    const joined = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
    let offset = 0;
    for (const b of bytes) {
      joined.set(b, offset);
      offset += b.length;
    }
    const frames = readChunkedFrames(joined);
    expect(frames.every((f) => f.queryIndex === 7 && f.chunkedSeries.length === 1)).toBe(true);
    expect(frames.every((f) => f.chunkedSeries[0]!.chunks.length === 1)).toBe(true);
  });

  it("refuses undecodable requests with 400 in plain text", async () => {
    const notSnappy = await post(new TextEncoder().encode("hello"));
    expect(notSnappy.status).toBe(400);
    expect(notSnappy.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(await notSnappy.text()).toMatch(/snappy/i);

    const notProtobuf = await post(snappyEncode(Uint8Array.of(0x0a, 0x05, 0x08)));
    expect(notProtobuf.status).toBe(400);
    expect(await notProtobuf.text()).toMatch(/malformed prometheus.ReadRequest/);

    const badType = await post(snappyEncode(encodeReadRequest({ queries: [], acceptedResponseTypes: [7] })));
    expect(badType.status).toBe(400);
    expect(await badType.text()).toMatch(/response types: 7/);

    const badRegex = await post(
      snappyEncode(
        encodeReadRequest({ queries: [query([{ type: "=~", name: "job", value: "(" }])], acceptedResponseTypes: [] }),
      ),
    );
    expect(badRegex.status).toBe(400);
    expect(await badRegex.text()).toMatch(/invalid matcher/);

    const noMatchers = await post(
      snappyEncode(encodeReadRequest({ queries: [query([])], acceptedResponseTypes: [1] })),
    );
    expect(noMatchers.status).toBe(400);
  });

  it("refuses too-large bodies and too-large declared decompressed sizes with 413", async () => {
    const big = await post(new Uint8Array(5 * 1024 * 1024));
    expect(big.status).toBe(413);
    // A varint preamble declaring 1 GiB of decompressed bytes.
    const bomb = await post(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x04, 0x00));
    expect(bomb.status).toBe(413);
  });

  it("refuses a SAMPLES answer over the sample limit with 400, while the streamed answer still goes out", async () => {
    const reader = new ShardedReader(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
    const app = new Hono().post("/read", (c) => remoteReadHandler(c, reader, 2 * POINTS));
    const ask = (types: number[]) =>
      app.request("/read", {
        method: "POST",
        body: snappyEncode(
          encodeReadRequest({ queries: [query([nameIs("rr_requests_total")])], acceptedResponseTypes: types }),
        ),
      });
    const refused = await ask([0]);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/exceeded sample limit \(800\)/);
    const streamed = await ask([1]);
    expect(streamed.status).toBe(200);
    expect(readChunkedFrames(new Uint8Array(await streamed.arrayBuffer())).length).toBeGreaterThanOrEqual(3);
  });

  it("needs read access like the rest of the query API", async () => {
    const res = await post(snappyEncode(encodeReadRequest({ queries: [], acceptedResponseTypes: [] })), {});
    expect(res.status).toBe(401);
    const ok = await readSamples({ queries: [], acceptedResponseTypes: [] });
    expect(ok.results).toEqual([]);
  });
});
