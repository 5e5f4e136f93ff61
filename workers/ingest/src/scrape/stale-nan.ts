// Prometheus's stale marker is a NaN with a specific payload (bits 0x7ff0000000000002). Typed arrays keep NaN
// payloads intact, so writers should carry values in Float64Arrays to keep it distinct from an ordinary NaN.
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
scratchWords[0] = 0x00000002;
scratchWords[1] = 0x7ff00000;

/** The stale-marker NaN. */
export const STALE_NAN = scratch[0];

export function isStaleNaN(value: number): boolean {
  if (value === value) return false;
  scratch[0] = value;
  return scratchWords[0] === 0x00000002 && scratchWords[1] === 0x7ff00000;
}
