import { describe, expect, it } from "vitest";
import { ChunkDecodeError } from "./errors";
import { floatFromBits, isStaleNaN, STALE_NAN } from "./float-bits";
import { decodeXorChunk, newXorChunk, XorChunk } from "./xor";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("XOR chunk", () => {
  it("writes Prometheus's header, varint timestamp and raw first value", () => {
    const { chunk, appender } = newXorChunk();
    expect(hex(chunk.bytes())).toBe("0000");
    appender.append(1000, 1);
    // 0x0001 samples, zigzag varint 2000 = d0 0f, 1.0 = 3ff0000000000000.
    expect(hex(chunk.bytes())).toBe("0001d00f3ff0000000000000" + "00"); // Go's empty tail byte after writeByte
    appender.append(16000, 1);
    // uvarint 15000 = 98 75, then one 0 bit for an unchanged value, padded.
    expect(hex(chunk.bytes())).toBe("0002d00f3ff00000000000009875" + "00");
    appender.append(31000, 2);
    // dod 0 -> bit 0; value 1 -> 2 xor = 0x7ff0000000000000 -> 1,1, leading 1 (5 bits), sigbits 11 (6 bits), bits.
    const bytes = chunk.bytes();
    expect(bytes[1]).toBe(3);
    const decoded = decodeXorChunk(bytes);
    expect(Array.from(decoded.timestamps)).toEqual([1000, 16000, 31000]);
    expect(Array.from(decoded.values)).toEqual([1, 1, 2]);
  });

  it("keeps stale markers bit-exact and distinct from NaN, and restores a quieted marker", () => {
    const { chunk, appender } = newXorChunk();
    const goNaN = floatFromBits(0x7ff80000, 1);
    const quietedStale = floatFromBits(0x7ff80000, 2);
    appender.append(0, 1);
    appender.append(15000, STALE_NAN);
    appender.append(30000, goNaN);
    appender.append(45000, quietedStale);
    appender.append(60000, -0);
    const { values } = decodeXorChunk(chunk.bytes());
    const words = new Uint32Array(values.buffer);
    expect([words[3].toString(16), words[2]]).toEqual(["7ff00000", 2]);
    expect([words[5].toString(16), words[4]]).toEqual(["7ff80000", 1]);
    expect([words[7].toString(16), words[6]]).toEqual(["7ff00000", 2]);
    expect(isStaleNaN(values[1])).toBe(true);
    expect(isStaleNaN(values[2])).toBe(false);
    expect(Object.is(values[4], -0)).toBe(true);
  });

  it("resumes appending on a chunk loaded from bytes, producing the same bytes", () => {
    const samples: [number, number][] = [];
    for (let i = 0; i < 50; i++) samples.push([1_700_000_000_000 + i * 15_000 + (i % 3), Math.sin(i) * 100]);
    const whole = newXorChunk();
    for (const [t, v] of samples) whole.appender.append(t, v);
    for (const cut of [1, 2, 3, 17]) {
      const first = newXorChunk();
      for (const [t, v] of samples.slice(0, cut)) first.appender.append(t, v);
      const loaded = new XorChunk(first.chunk.bytes().slice());
      const appender = loaded.appender();
      for (const [t, v] of samples.slice(cut)) appender.append(t, v);
      expect(hex(loaded.bytes())).toBe(hex(whole.chunk.bytes()));
    }
  });

  it("iterates with seek and reports corruption through err()", () => {
    const { chunk, appender } = newXorChunk();
    for (let i = 0; i < 10; i++) appender.append(i * 10, i);
    const it = chunk.iterator();
    expect(it.seek(35)).toBe(true);
    expect([it.t, it.v]).toEqual([40, 4]);
    expect(it.seek(10)).toBe(true); // never moves backwards
    expect(it.t).toBe(40);
    expect(it.next()).toBe(true);
    expect(it.t).toBe(50);
    expect(it.seek(1000)).toBe(false);
    expect(it.err()).toBeNull();

    const truncated = chunk.bytes().slice(0, 12);
    const broken = new XorChunk(truncated).iterator();
    let seen = 0;
    while (broken.next()) seen++;
    expect(seen).toBeLessThan(10);
    expect(broken.err()).toBeInstanceOf(ChunkDecodeError);
    expect(() => decodeXorChunk(truncated)).toThrow(ChunkDecodeError);
    expect(() => new XorChunk(new Uint8Array(1))).toThrow(ChunkDecodeError);
  });

  it("rejects timestamps it cannot encode exactly", () => {
    const { appender } = newXorChunk();
    expect(() => appender.append(1.5, 0)).toThrow(/not an integer/);
    expect(() => appender.append(2 ** 52, 0)).toThrow(/2\^51/);
  });
});

describe("chunkFromBytes", () => {
  it("opens each encoding and rejects unknown ones", async () => {
    const { chunkFromBytes } = await import("./from-bytes");
    const { chunk, appender } = newXorChunk();
    appender.append(5, 1);
    const opened = chunkFromBytes(1, chunk.bytes());
    expect(opened).toBeInstanceOf(XorChunk);
    expect(opened.numSamples()).toBe(1);
    expect(chunkFromBytes(2, new Uint8Array(3)).encoding).toBe(2);
    expect(chunkFromBytes(3, new Uint8Array(3)).encoding).toBe(3);
    expect(() => chunkFromBytes(9, new Uint8Array(3))).toThrow(ChunkDecodeError);
  });
});
