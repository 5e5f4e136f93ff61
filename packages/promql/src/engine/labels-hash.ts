import type { Labels } from "../value";

/**
 * A stable position in [0, 1) for a label set (FNV-1a 64 over name/value bytes), used by limit_ratio so that
 * limit_ratio(r) and limit_ratio(-(1 - r)) select complementary series.
 */
export function labelsHashFraction(labels: Labels): number {
  let hi = 0xcbf29ce4 >>> 0;
  let lo = 0x84222325 >>> 0;
  const feed = (byte: number): void => {
    lo ^= byte;
    // Multiply the 64-bit (hi, lo) by the FNV prime 0x100000001b3.
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    const newLo = loMul >>> 0;
    hi = (Math.imul(hi, 0x1b3) + carry + Math.imul(lo, 0x100)) >>> 0;
    lo = newLo;
  };
  const enc = new TextEncoder();
  for (const l of labels) {
    for (const b of enc.encode(l.name)) feed(b);
    feed(0xff);
    for (const b of enc.encode(l.value)) feed(b);
    feed(0xff);
  }
  return (hi * 0x100000000 + lo) / 18446744073709551616;
}
