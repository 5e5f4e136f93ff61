/** Bytes of the unsigned varint (LEB128, Go's `binary.PutUvarint`) of a non-negative integer up to 2^53. */
export function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** Writes the unsigned varint of `n` at `pos` of a buffer sized for it; returns the position after it. */
export function putUvarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[pos++] = n;
  return pos;
}
