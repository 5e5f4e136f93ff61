/** Base class of every error the block layer throws, so callers can tell storage faults from their own bugs. */
export class BlockError extends Error {
  override readonly name: string = "BlockError";
}

/** The bytes are not a valid TSDB block file (bad magic, truncated section, impossible value). */
export class BlockFormatError extends BlockError {
  override readonly name: string = "BlockFormatError";
}

/** A section's CRC-32C does not match its bytes: the object is corrupt or was read from the wrong range. */
export class ChecksumMismatchError extends BlockFormatError {
  override readonly name: string = "ChecksumMismatchError";
  constructor(
    readonly section: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${section}: CRC-32C mismatch (stored ${hex(expected)}, computed ${hex(actual)})`);
  }
}

/** The writer was handed data that cannot form a valid block (unsorted chunks, duplicate series, ...). */
export class InvalidBlockInputError extends BlockError {
  override readonly name: string = "InvalidBlockInputError";
}

/** A block, or one of its files, is missing from the object store. */
export class BlockNotFoundError extends BlockError {
  override readonly name: string = "BlockNotFoundError";
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}
