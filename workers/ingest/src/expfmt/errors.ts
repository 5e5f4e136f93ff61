/** The exposition is not valid in its format; `line` is 1-based (0 for binary formats). HTTP 400 for pushes. */
export class ExpositionParseError extends Error {
  override readonly name = "ExpositionParseError";
  readonly errorType = "bad_data";
  readonly status = 400;

  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(line > 0 ? `line ${line}: ${reason}` : reason);
  }
}

/** A Content-Type no exposition parser handles (and no fallback was configured): HTTP 415 for pushes. */
export class UnsupportedExpositionFormatError extends Error {
  override readonly name = "UnsupportedExpositionFormatError";
  readonly errorType = "unsupported_media_type";
  readonly status = 415;
}
