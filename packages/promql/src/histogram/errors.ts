/** Base class of every error this folder throws, so that callers can catch them as one family. */
export class HistogramError extends Error {
  override readonly name: string = "HistogramError";
}

/**
 * Two histograms cannot be combined because one uses exponential buckets and the other custom buckets. PromQL turns
 * this into the warning "vector contains a mix of histograms with exponential and custom buckets schemas".
 */
export class HistogramSchemaMixError extends HistogramError {
  override readonly name = "HistogramSchemaMixError";
  constructor() {
    super("histograms with exponential and custom buckets schemas cannot be combined");
  }
}

/** An operation was asked for that the histogram's schema cannot do (e.g. raising the resolution). */
export class HistogramSchemaError extends HistogramError {
  override readonly name = "HistogramSchemaError";
}

/** A histogram literal `{{...}}` in the test notation is malformed. `position` is the offset in the parsed text. */
export class HistogramNotationError extends HistogramError {
  override readonly name = "HistogramNotationError";
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Classic histogram series could not be converted to a custom-buckets histogram (load_with_nhcb). */
export class NhcbConversionError extends HistogramError {
  override readonly name = "NhcbConversionError";
}

/** A histogram breaks the model's rules (negative counts, spans that do not fit the buckets, bad custom bounds, …). */
export class HistogramValidationError extends HistogramError {
  override readonly name = "HistogramValidationError";
}
