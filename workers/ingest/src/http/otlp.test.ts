import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const LOOPBACK = { "CF-Connecting-IP": "127.0.0.1" };
const T_NS = "1750000000000000000";
const T_MS = 1_750_000_000_000;

function otlp(body: BodyInit, contentType: string, extra: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch("http://edgeprom.test/api/v1/otlp/v1/metrics", {
    method: "POST",
    body,
    headers: { ...LOOPBACK, "Content-Type": contentType, ...extra },
  });
}

async function instant(query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await SELF.fetch(
    `http://edgeprom.test/api/v1/query?query=${encodeURIComponent(query)}&time=${T_MS / 1000}`,
    {
      headers: LOOPBACK,
    },
  );
  return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } })
    .data.result;
}

const request = {
  resourceMetrics: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "cart" } }] },
      scopeMetrics: [
        {
          metrics: [
            {
              name: "orders.placed",
              sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano: T_NS, asInt: "12" }] },
            },
            {
              name: "orders.delta",
              sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: T_NS, asInt: "1" }] },
            },
          ],
        },
      ],
    },
  ],
};

describe("POST /api/v1/otlp/v1/metrics", () => {
  it("stores OTLP/JSON as Prometheus series and reports delta points as a partial success", async () => {
    const res = await otlp(JSON.stringify(request), "application/json");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedDataPoints: "1",
        errorMessage: 'invalid temporality and type combination for metric "orders.delta"',
      },
    });
    expect(await instant("orders_placed_total")).toEqual([
      { metric: { __name__: "orders_placed_total", job: "cart" }, value: [T_MS / 1000, "12"] },
    ]);
  });

  it("accepts gzip bodies", async () => {
    const gz = new Blob([JSON.stringify(request)]).stream().pipeThrough(new CompressionStream("gzip"));
    const res = await otlp(await new Response(gz).arrayBuffer(), "application/json", { "Content-Encoding": "gzip" });
    expect(res.status).toBe(200);
  });

  it("answers 415 for other content types and 400 for undecodable bodies", async () => {
    expect((await otlp("x", "text/plain")).status).toBe(415);
    const bad = await otlp("{not json", "application/json");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: number; message: string }).code).toBe(3);
    const badProto = await otlp(new Uint8Array([0x0a, 0x05, 0x01]), "application/x-protobuf");
    expect(badProto.status).toBe(400);
  });
});
