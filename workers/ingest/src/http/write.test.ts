import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { encodeWriteRequestV1, encodeWriteRequestV2, RW2_PROTO, type SeriesToWrite } from "../remotewrite/index";
import { snappyEncode } from "@edgeprom/wire";

const LOOPBACK = { "CF-Connecting-IP": "127.0.0.1" };
const T0 = 1_750_000_000_000;
const STALE = new Float64Array(new Uint32Array([2, 0x7ff00000]).buffer)[0]!;

function remoteWrite(body: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch("http://edgeprom.test/api/v1/write", {
    method: "POST",
    body,
    headers: {
      ...LOOPBACK,
      "Content-Type": "application/x-protobuf",
      "Content-Encoding": "snappy",
      "X-Prometheus-Remote-Write-Version": "0.1.0",
      ...headers,
    },
  });
}

async function instant(
  query: string,
  timeMs: number,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await SELF.fetch(
    `http://edgeprom.test/api/v1/query?query=${encodeURIComponent(query)}&time=${timeMs / 1000}`,
    { headers: LOOPBACK },
  );
  const body = (await res.json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data.result;
}

function series(name: string, extra: Record<string, string>, samples: [number, number][]): SeriesToWrite {
  const labels = Object.entries({ __name__: name, ...extra })
    .map(([n, value]) => ({ name: n, value }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  return { labels, samples: samples.map(([timestamp, value]) => ({ timestamp, value })) };
}

describe("POST /api/v1/write", () => {
  it("stores remote write 1.0 and answers 204; the samples are queryable at once", async () => {
    const body = snappyEncode(
      encodeWriteRequestV1({
        series: [
          series("rw1_requests_total", { job: "api", instance: "a" }, [
            [T0, 1],
            [T0 + 15_000, 5],
          ]),
          series("rw1_requests_total", { job: "api", instance: "b" }, [[T0, 7]]),
        ],
      }),
    );
    const res = await remoteWrite(body);
    expect(res.status).toBe(204);
    expect(res.headers.get("X-Prometheus-Remote-Write-Samples-Written")).toBe("3");
    const result = await instant("rw1_requests_total", T0 + 20_000);
    expect(result.map((r) => [r.metric.instance, r.value[1]])).toEqual([
      ["a", "5"],
      ["b", "7"],
    ]);
  });

  it("stores remote write 2.0 with its symbol table and reports what was written", async () => {
    const body = snappyEncode(
      encodeWriteRequestV2({
        series: [
          {
            ...series("rw2_temperature", { room: "lab" }, [[T0, 21.5]]),
            metadata: { type: "gauge", help: "Room temperature" },
          },
          series("rw2_temperature", { room: "hall" }, [[T0, 19]]),
        ],
      }),
    );
    const res = await remoteWrite(body, {
      "Content-Type": `application/x-protobuf;proto=${RW2_PROTO}`,
      "X-Prometheus-Remote-Write-Version": "2.0.0",
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("X-Prometheus-Remote-Write-Samples-Written")).toBe("2");
    expect(res.headers.get("X-Prometheus-Remote-Write-Histograms-Written")).toBe("0");
    expect((await instant("rw2_temperature", T0 + 1000)).map((r) => r.metric.room)).toEqual(["hall", "lab"]);
    const metadata = await SELF.fetch("http://edgeprom.test/api/v1/metadata?metric=rw2_temperature", {
      headers: LOOPBACK,
    });
    expect(await metadata.json()).toEqual({
      status: "success",
      data: { rw2_temperature: [{ type: "gauge", help: "Room temperature", unit: "" }] },
    });
  });

  it("ends a series with a stale marker", async () => {
    const body = snappyEncode(
      encodeWriteRequestV1({
        series: [
          series("rw_stale_test", { job: "x" }, [
            [T0, 1],
            [T0 + 15_000, STALE],
          ]),
        ],
      }),
    );
    expect((await remoteWrite(body)).status).toBe(204);
    expect(await instant("rw_stale_test", T0 + 10_000)).toHaveLength(1);
    expect(await instant("rw_stale_test", T0 + 20_000)).toEqual([]);
  });

  it("refuses bodies it cannot read with 400, 413 and 415, and stores nothing from them", async () => {
    const corrupt = await remoteWrite(new Uint8Array([0x05, 0xff, 0xff, 0x01]));
    expect(corrupt.status).toBe(400);
    expect(await corrupt.text()).toMatch(/snappy/i);
    // A declared decoded length beyond the limit is refused before anything is allocated.
    const bomb = await remoteWrite(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
    expect(bomb.status).toBe(413);
    const notProtobuf = await remoteWrite(snappyEncode(new TextEncoder().encode("this is not a protobuf")));
    expect(notProtobuf.status).toBe(400);
    const wrongType = await remoteWrite(new Uint8Array(4), { "Content-Type": "application/json" });
    expect(wrongType.status).toBe(415);
    const wrongEncoding = await remoteWrite(new Uint8Array(4), { "Content-Encoding": "zstd" });
    expect(wrongEncoding.status).toBe(415);
    const huge = await remoteWrite(new Uint8Array(16 * 1024 * 1024 + 1));
    expect(huge.status).toBe(413);
  });

  it("stores the valid series of a request, and answers 400 naming the invalid ones and refused samples", async () => {
    const first = snappyEncode(
      encodeWriteRequestV1({ series: [series("rw_partial", { k: "ooo" }, [[T0 + 60_000, 1]])] }),
    );
    expect((await remoteWrite(first)).status).toBe(204);
    const body = snappyEncode(
      encodeWriteRequestV1({
        series: [
          series("rw_partial", { k: "good" }, [[T0, 3]]),
          { labels: [{ name: "k", value: "no-name" }], samples: [{ timestamp: T0, value: 1 }] },
          series("rw_partial", { k: "ooo" }, [[T0, 2]]),
        ],
      }),
    );
    const res = await remoteWrite(body);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain("no-name");
    expect(text).toContain("out of order sample");
    expect((await instant('rw_partial{k="good"}', T0 + 1000)).map((r) => r.value[1])).toEqual(["3"]);
  });

  it("needs the write credential from a non-loopback client", async () => {
    const res = await SELF.fetch("http://edgeprom.test/api/v1/write", {
      method: "POST",
      headers: { "CF-Connecting-IP": "203.0.113.1" },
      body: new Uint8Array(1),
    });
    expect(res.status).toBe(401);
  });

  it("stores exemplars and serves them on /api/v1/query_exemplars", async () => {
    const withExemplar: SeriesToWrite = {
      ...series("rw_exemplar_latency_bucket", { le: "0.5" }, [[T0, 4]]),
      exemplars: [{ labels: [{ name: "trace_id", value: "abc123" }], value: 0.42, timestamp: T0 - 500 }],
    };
    const res = await remoteWrite(snappyEncode(encodeWriteRequestV1({ series: [withExemplar] })));
    expect(res.status).toBe(204);
    expect(res.headers.get("X-Prometheus-Remote-Write-Exemplars-Written")).toBe("1");
    const query = encodeURIComponent("rate(rw_exemplar_latency_bucket[5m])");
    const found = await SELF.fetch(
      `http://edgeprom.test/api/v1/query_exemplars?query=${query}&start=${(T0 - 60_000) / 1000}&end=${T0 / 1000}`,
      { headers: LOOPBACK },
    );
    expect(await found.json()).toEqual({
      status: "success",
      data: [
        {
          seriesLabels: { __name__: "rw_exemplar_latency_bucket", le: "0.5" },
          exemplars: [{ labels: { trace_id: "abc123" }, value: "0.42", timestamp: (T0 - 500) / 1000 }],
        },
      ],
    });
  });

  it("stores native histograms from remote write 2.0 and queries them back", async () => {
    const histogram = (count: number) => ({
      isFloat: false,
      schema: 0,
      zeroThreshold: 1e-128,
      zeroCount: 1,
      count,
      sum: count * 1.5,
      positiveSpans: [{ offset: 0, length: 3 }],
      positiveBuckets: [1, count - 3, 1],
      negativeSpans: [],
      negativeBuckets: [],
      counterResetHint: "unknown" as const,
      customValues: [],
    });
    const body = snappyEncode(
      encodeWriteRequestV2({
        series: [
          {
            labels: [{ name: "__name__", value: "rw_native_seconds" }],
            histograms: [
              { timestamp: T0, startTimestamp: 0, histogram: histogram(10) },
              { timestamp: T0 + 15_000, startTimestamp: 0, histogram: histogram(16) },
            ],
          },
        ],
      }),
    );
    const res = await remoteWrite(body, {
      "Content-Type": `application/x-protobuf;proto=${RW2_PROTO}`,
      "X-Prometheus-Remote-Write-Version": "2.0.0",
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("X-Prometheus-Remote-Write-Histograms-Written")).toBe("2");
    expect((await instant("histogram_count(rw_native_seconds)", T0 + 20_000)).map((r) => r.value[1])).toEqual(["16"]);
    expect((await instant("histogram_sum(rw_native_seconds)", T0 + 20_000)).map((r) => r.value[1])).toEqual(["24"]);
    const raw = await SELF.fetch(
      `http://edgeprom.test/api/v1/query?query=rw_native_seconds&time=${(T0 + 20_000) / 1000}`,
      {
        headers: LOOPBACK,
      },
    );
    const result = (
      (await raw.json()) as { data: { result: { histogram: [number, { count: string; buckets: unknown[] }] }[] } }
    ).data.result;
    expect(result[0]!.histogram[1]).toMatchObject({ count: "16", sum: "24" });
    // The zero bucket is closed on both ends (boundary rule 3); bounds are written in Go's 'f' format.
    expect(result[0]!.histogram[1].buckets).toContainEqual([3, `-0.${"0".repeat(127)}1`, `0.${"0".repeat(127)}1`, "1"]);
  });
});
