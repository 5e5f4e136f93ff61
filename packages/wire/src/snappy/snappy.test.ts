// The Node typecheck only sees test files, so the ambient declaration must be referenced explicitly.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./snappyjs.d.ts" />
import { describe, expect, it } from "vitest";
import * as snappyjs from "snappyjs";
import { snappyDecode, snappyDecodedLength, snappyEncode, SnappyCorruptError, SnappyTooLargeError } from "./index";

/** Deterministic pseudo-random bytes, so a failure reproduces. */
function randomBytes(n: number, seed: number): Uint8Array {
  let x = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function textBytes(n: number): Uint8Array {
  const line = 'http_requests_total{method="GET",code="200",instance="10.0.0.1:9100",job="node"} 1027 1700000000000\n';
  return new TextEncoder().encode(line.repeat(Math.ceil(n / line.length)).slice(0, n));
}

const inputs: Array<[string, Uint8Array]> = [
  ["empty", new Uint8Array(0)],
  ["one byte", Uint8Array.of(42)],
  ["short text", new TextEncoder().encode("Wikipedia is a free-content encyclopedia")],
  ["run of zeros", new Uint8Array(100_000)],
  ["repetitive text", textBytes(300_000)],
  ["random", randomBytes(200_000, 7)],
  ["mixed", new Uint8Array([...randomBytes(70_000, 3), ...textBytes(70_000), ...new Uint8Array(5000)])],
];

describe("snappy block codec", () => {
  it.each(inputs)("round-trips %s", (_name, input) => {
    const encoded = snappyEncode(input);
    expect(snappyDecodedLength(encoded)).toBe(input.length);
    expectSameBytes(snappyDecode(encoded), input);
  });

  it.each(inputs)("interoperates with snappyjs on %s", (_name, input) => {
    expectSameBytes(snappyDecode(snappyjs.compress(input)), input);
    expectSameBytes(snappyjs.uncompress(snappyEncode(input)), input);
  });

  it("compresses repetitive data", () => {
    expect(snappyEncode(textBytes(300_000)).length).toBeLessThan(300_000 / 10);
    expect(snappyEncode(new Uint8Array(100_000)).length).toBeLessThan(100_000 / 20);
  });

  it("decodes a hand-assembled block with an overlapping copy", () => {
    // length 10; literal "ab"; copy-1 of length 8 at offset 2 repeats "ab" four times.
    const block = Uint8Array.of(10, 1 << 2, 0x61, 0x62, 1 | ((8 - 4) << 2), 2);
    expect(new TextDecoder().decode(snappyDecode(block))).toBe("ababababab");
  });

  it("checks the declared length against the limit before allocating", () => {
    // Preamble declaring 2^32-1 bytes followed by nothing.
    const block = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f);
    const err = catchError(() => snappyDecode(block, { maxDecodedBytes: 1 << 20 }));
    expect(err).toBeInstanceOf(SnappyTooLargeError);
    expect(err).toMatchObject({ declaredBytes: 0xffffffff, limitBytes: 1 << 20, status: 413 });
    expect(() => snappyDecode(snappyEncode(new Uint8Array(2000)), { maxDecodedBytes: 1999 })).toThrow(
      SnappyTooLargeError,
    );
  });

  it.each<[string, number[]]>([
    ["empty input", []],
    ["unterminated preamble", [0x80, 0x80]],
    ["six-byte preamble", [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
    ["literal past the input", [5, 4 << 2, 1, 2]],
    ["literal past the declared length", [1, 1 << 2, 1, 2]],
    ["long literal length truncated", [100, 60 << 2]],
    ["copy before any output", [4, 1, 1]],
    ["copy offset zero", [5, 0, 9, 1, 0]],
    ["copy offset beyond output", [6, 0, 9, 1 | (1 << 2), 2]],
    ["copy past the declared length", [5, 0, 9, 1 | (4 << 2), 1]],
    ["truncated copy-2 tag", [5, 0, 9, 2]],
    ["truncated copy-4 tag", [5, 0, 9, 3, 1, 0]],
    ["output shorter than declared", [5, 0, 9]],
  ])("rejects %s with a typed error", (_name, bytes) => {
    const err = catchError(() => snappyDecode(Uint8Array.from(bytes)));
    expect(err).toBeInstanceOf(SnappyCorruptError);
    expect(err).toMatchObject({ status: 400, errorType: "bad_data" });
  });

  it("never crashes or hangs on mutated blocks", () => {
    const valid = snappyEncode(new Uint8Array([...textBytes(5000), ...randomBytes(500, 11)]));
    let rejected = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const mutated = valid.slice(0, 1 + ((seed * 7919) % valid.length));
      const noise = randomBytes(4, seed);
      for (let k = 0; k < 3; k++) mutated[(noise[k] * seed) % mutated.length] ^= noise[k + 1] | 1;
      try {
        snappyDecode(mutated, { maxDecodedBytes: 1 << 20 });
      } catch (err) {
        if (!(err instanceof SnappyCorruptError || err instanceof SnappyTooLargeError)) throw err;
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(2900);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}

// toEqual compares typed arrays element by element through its generic path: seconds for 300 KB.
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}
