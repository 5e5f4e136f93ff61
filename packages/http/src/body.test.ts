import { describe, expect, it } from "vitest";
import { readBody } from "./body";
import { ApiError } from "./errors";

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request("http://edgeprom.test/x", { method: "POST", body, headers });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected an ApiError");
}

describe("readBody", () => {
  it("returns the bytes as sent", async () => {
    expect(new TextDecoder().decode(await readBody(post("hello"), { maxBytes: 10 }))).toBe("hello");
  });

  it("answers 413 for a declared or an actual body over the limit", async () => {
    expect((await failure(readBody(post("x".repeat(11)), { maxBytes: 10 }))).status).toBe(413);
    const streamed = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(8));
      },
    });
    const request = new Request("http://edgeprom.test/x", {
      method: "POST",
      body: streamed,
      duplex: "half",
    } as RequestInit);
    expect((await failure(readBody(request, { maxBytes: 100 }))).errorType).toBe("too_large");
  });

  it("decodes gzip when asked, with its own bound, and refuses corrupt or unknown encodings", async () => {
    const gz = await gzip(new TextEncoder().encode("metric 1\n"));
    const decoded = await readBody(post(gz, { "Content-Encoding": "gzip" }), { maxBytes: 1000, gunzip: true });
    expect(new TextDecoder().decode(decoded)).toBe("metric 1\n");
    const bomb = await gzip(new Uint8Array(100_000));
    expect(
      (await failure(readBody(post(bomb, { "Content-Encoding": "gzip" }), { maxBytes: 1000, gunzip: true }))).status,
    ).toBe(413);
    const corrupt = await failure(
      readBody(post("not gzip", { "Content-Encoding": "gzip" }), { maxBytes: 1000, gunzip: true }),
    );
    expect([corrupt.status, corrupt.message.startsWith("corrupt gzip body")]).toEqual([400, true]);
    expect(
      (await failure(readBody(post("x", { "Content-Encoding": "br" }), { maxBytes: 10, gunzip: true }))).status,
    ).toBe(415);
    // Without gunzip the caller gets the encoded bytes (remote write decodes snappy itself).
    expect((await readBody(post(gz, { "Content-Encoding": "gzip" }), { maxBytes: 1000 })).length).toBe(gz.length);
  });
});
