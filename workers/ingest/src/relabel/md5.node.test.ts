import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashMod, md5 } from "./md5";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("md5", () => {
  it("matches the RFC 1321 test suite", () => {
    const suite: [string, string][] = [
      ["", "d41d8cd98f00b204e9800998ecf8427e"],
      ["a", "0cc175b9c0f1b6a831c399e269772661"],
      ["abc", "900150983cd24fb0d6963f7d28e17f72"],
      ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
      ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
      ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
      [
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
        "57edf4a22be3c955ac49da2e2107b67a",
      ],
    ];
    for (const [input, digest] of suite) expect(hex(md5(input))).toBe(digest);
  });

  it("agrees with Node's MD5 on every length across block boundaries and on non-ASCII text", () => {
    for (let length = 0; length < 200; length++) {
      const input = "é☃x".repeat(length).slice(0, length);
      expect(hex(md5(input))).toBe(createHash("md5").update(input, "utf8").digest("hex"));
    }
  });
});

describe("hashMod", () => {
  it("gives Prometheus's values (last 8 digest bytes, big-endian, modulo)", () => {
    // Values from Prometheus's relabel tests.
    expect(hashMod("baz", 1000)).toBe(976);
    expect(hashMod("foo\nbar", 1000)).toBe(734);
  });

  it("is exact for small and large moduli alike", () => {
    for (const input of ["", "a", "10.0.0.1:9100", "foo;bar", "ünïcödé"]) {
      const tail = createHash("md5").update(input, "utf8").digest().readBigUInt64BE(8);
      for (const modulus of [1, 2, 7, 1000, 0x1fffff, 0x200000, 0x200001, 2 ** 32 + 15, Number.MAX_SAFE_INTEGER]) {
        expect(hashMod(input, modulus)).toBe(Number(tail % BigInt(modulus)));
      }
    }
  });
});
