/**
 * One shared Float64Array/Uint32Array view to move between a float64 and its two 32-bit halves without BigInt.
 * Little-endian only (every platform Workers and Node run on); checked once at load.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

f64[0] = 1;
if (u32[1] !== 0x3ff00000) throw new Error("edgeprom chunks need a little-endian platform");

/** Upper 32 bits of the float's IEEE 754 representation (call {@link floatBits} first). */
export let floatHi = 0;
/** Lower 32 bits (call {@link floatBits} first). */
export let floatLo = 0;

/** Splits `v` into {@link floatHi} / {@link floatLo}. */
export function floatBits(v: number): void {
  f64[0] = v;
  floatLo = u32[0];
  floatHi = u32[1];
}

/** The float with the given IEEE 754 halves. NaN payloads survive (stale markers stay stale markers). */
export function floatFromBits(hi: number, lo: number): number {
  u32[0] = lo;
  u32[1] = hi;
  return f64[0];
}

/** Prometheus's stale marker: the NaN with bits 0x7ff0000000000002. */
export const STALE_NAN_HI = 0x7ff00000;
export const STALE_NAN_LO = 0x00000002;
export const STALE_NAN = floatFromBits(STALE_NAN_HI, STALE_NAN_LO);

/**
 * The stale marker after V8 "quieted" it: 0x7ff0000000000002 is a signalling NaN, and storing it in a plain JS array
 * or a Map sets the quiet bit (0x7ff8000000000002). Ordinary NaNs (0x7ff8000000000000 from JS arithmetic,
 * 0x7ff8000000000001 from Go's math.NaN) never have this pattern, so it still means "stale". Note that
 * `structuredClone` (and so Durable Object RPC) of a plain number loses the payload entirely: ship values as
 * Float64Array or chunk bytes.
 */
export const QUIET_STALE_NAN_HI = 0x7ff80000;

/** True only for the stale marker (also in its quieted form), not for other NaNs. */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false;
  floatBits(v);
  return (floatHi === STALE_NAN_HI || floatHi === QUIET_STALE_NAN_HI) && floatLo === STALE_NAN_LO;
}
