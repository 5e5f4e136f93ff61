// Prometheus's stale marker is a NaN with a specific payload. Typed arrays keep NaN payloads intact, plain JS arrays
// of doubles may canonicalise them, so float samples always travel in Float64Arrays.
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
scratchWords[0] = 0x00000002;
scratchWords[1] = 0x7ff00000;
/** The stale-marker NaN (bits 0x7ff0000000000002). */
export const STALE_NAN = scratch[0];

/** True only for the stale marker, not for other NaNs. */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false;
  scratch[0] = v;
  return scratchWords[0] === 0x00000002 && scratchWords[1] === 0x7ff00000;
}
