/** Body size limits of the write routes, from Worker variables (bytes), with defaults that suit 128 MB isolates. */
export function writeLimits(env: Env): { maxBodyBytes: number; maxDecodedBytes: number } {
  return {
    maxBodyBytes: positive(env.EDGEPROM_MAX_WRITE_BODY_BYTES, 16 * 1024 * 1024),
    maxDecodedBytes: positive(env.EDGEPROM_MAX_WRITE_DECODED_BYTES, 64 * 1024 * 1024),
  };
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(n) && n > 0 ? n : fallback;
}
