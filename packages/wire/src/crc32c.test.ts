import { describe, expect, it } from "vitest";
import { crc32c, crc32cUpdate } from "./crc32c";

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("crc32c", () => {
  it("matches the published CRC-32C check value", () => {
    // RFC 3720 / iSCSI check value for "123456789".
    expect(crc32c(ascii("123456789"))).toBe(0xe3069283);
  });

  it("matches RFC 3720 test vectors", () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
  });

  it("is 0 for no bytes, as Prometheus's empty tombstones file shows", () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it("continues across calls and honours sub-ranges", () => {
    const bytes = ascii("the quick brown fox jumps over the lazy dog, 0123456789");
    const whole = crc32c(bytes);
    for (const split of [0, 1, 7, 8, 9, 30, bytes.length]) {
      expect(crc32cUpdate(crc32c(bytes, 0, split), bytes, split)).toBe(whole);
    }
    expect(crc32c(bytes, 4, 9)).toBe(crc32c(ascii("quick")));
  });
});
