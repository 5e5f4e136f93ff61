import { describe, expect, it } from "vitest";
import { STALE_NAN, isStaleNaN } from "./float-bits";
import { decodeXorChunk, newXorChunk } from "./xor";

// The runtime that serves queries is workerd: check there that chunks keep stale markers bit-exact, and pin the
// runtime facts docs/tsdb-chunks.md relies on (plain arrays quiet the signalling NaN, structuredClone drops it).
describe("XOR chunks inside workerd", () => {
  it("keep the stale marker bit-exact through encode and bulk decode", () => {
    const { chunk, appender } = newXorChunk();
    for (let i = 0; i < 120; i++) appender.append(1_700_000_000_000 + i * 15_000, i % 10 === 9 ? STALE_NAN : i);
    const { timestamps, values } = decodeXorChunk(chunk.bytes());
    const words = new Uint32Array(values.buffer);
    expect(timestamps[119]).toBe(1_700_000_000_000 + 119 * 15_000);
    expect([words[2 * 9 + 1], words[2 * 9]]).toEqual([0x7ff00000, 2]);
    expect(isStaleNaN(values[19])).toBe(true);
    expect(values[20]).toBe(20);
  });

  it("has the JavaScript NaN behaviour the chunk code works around", () => {
    const bits = (v: number) => {
      const u = new Uint32Array(new Float64Array([v]).buffer);
      return [u[1], u[0]];
    };
    const inArray: number[] = [1.5];
    inArray[0] = STALE_NAN;
    expect(bits(inArray[0])).toEqual([0x7ff80000, 2]); // quieted, still recognisable
    expect(isStaleNaN(inArray[0])).toBe(true);
    expect(isStaleNaN(structuredClone(STALE_NAN))).toBe(false); // the payload does not survive cloning
    const typed = structuredClone(new Float64Array([STALE_NAN]));
    expect(isStaleNaN(typed[0])).toBe(true);
  });
});
