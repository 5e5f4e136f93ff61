/** The compressed bytes are not a valid Snappy block: HTTP 400 for a remote-write body. */
export class SnappyCorruptError extends Error {
  override readonly name = "SnappyCorruptError";
  readonly errorType = "bad_data";
  readonly status = 400;
}

/**
 * The block declares more decompressed bytes than the caller allows. Checked before anything is allocated, so a
 * few bytes claiming 4 GiB cost nothing: HTTP 413.
 */
export class SnappyTooLargeError extends Error {
  override readonly name = "SnappyTooLargeError";
  readonly errorType = "too_large";
  readonly status = 413;

  constructor(
    readonly declaredBytes: number,
    readonly limitBytes: number,
  ) {
    super(`snappy block declares ${declaredBytes} decompressed bytes, more than the limit of ${limitBytes}`);
  }
}
