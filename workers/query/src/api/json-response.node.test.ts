import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { acceptsGzip, jsonResponse, MIN_GZIP_BYTES } from "./json-response";

const request = (acceptEncoding?: string) =>
  new Request(
    "http://x/api/v1/query",
    acceptEncoding === undefined ? {} : { headers: { "Accept-Encoding": acceptEncoding } },
  );

const large = JSON.stringify({
  status: "success",
  data: Array.from({ length: 500 }, (_, i) => [1795630950 + i, "0.5"]),
});

describe("acceptsGzip", () => {
  it("reads codings, weights and the wildcard as RFC 9110 does", () => {
    expect(acceptsGzip(null)).toBe(false);
    expect(acceptsGzip("")).toBe(false);
    expect(acceptsGzip("gzip, deflate, br")).toBe(true);
    expect(acceptsGzip("br;q=1.0, GZIP;q=0.5")).toBe(true);
    expect(acceptsGzip("x-gzip")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("*;q=0, gzip")).toBe(true);
    expect(acceptsGzip("gzip;q=0, *")).toBe(false);
    expect(acceptsGzip("identity, deflate")).toBe(false);
  });
});

describe("jsonResponse", () => {
  it("gzips a large body for a client that accepts gzip, already encoded, with Vary", async () => {
    const res = jsonResponse(request("gzip, deflate"), large);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(res.headers.get("Content-Encoding")).toBe("gzip");
    expect(res.headers.get("Vary")).toBe("Accept-Encoding");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBeLessThan(large.length / 4);
    expect(gunzipSync(bytes).toString("utf8")).toBe(large);
  });

  it("sends the body as it is to a client without gzip, and a small body to anyone", async () => {
    for (const res of [jsonResponse(request(), large), jsonResponse(request("br"), large)]) {
      expect(res.headers.get("Content-Encoding")).toBeNull();
      expect(res.headers.get("Vary")).toBe("Accept-Encoding");
      expect(await res.text()).toBe(large);
    }
    const small = '{"status":"success","data":[]}';
    expect(small.length).toBeLessThan(MIN_GZIP_BYTES);
    const res = jsonResponse(request("gzip"), small, 422);
    expect(res.status).toBe(422);
    expect(res.headers.get("Content-Encoding")).toBeNull();
    expect(await res.text()).toBe(small);
  });

  it("gzips UTF-8 label values intact", () => {
    const body = JSON.stringify({ v: "Zürich 🏔 ".repeat(200) });
    const res = jsonResponse(request("gzip"), body);
    return res.arrayBuffer().then((b) => expect(gunzipSync(new Uint8Array(b)).toString("utf8")).toBe(body));
  });
});
