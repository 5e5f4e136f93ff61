import type { Label } from "./model";

/**
 * One series of a write request that cannot be stored. Decoding goes on past it, so the valid rest of the request
 * can still be written (a partial write) before answering 400 with every reason.
 */
export class InvalidSeriesError extends Error {
  override readonly name = "InvalidSeriesError";
  readonly errorType = "bad_data";
  readonly status = 400;

  constructor(
    readonly reason: string,
    /** The series' labels as far as they could be decoded (sorted), to name the series in the response. */
    readonly labels: readonly Label[],
    /** Samples, histogram samples and exemplars the series carried, all rejected with it. */
    readonly rejected: { samples: number; histograms: number; exemplars: number },
  ) {
    super(`${reason}: ${formatLabels(labels)}`);
  }
}

/** The request cannot be decoded at all (structure, not content): HTTP 400, nothing written. */
export class RemoteWriteDecodeError extends Error {
  override readonly name = "RemoteWriteDecodeError";
  readonly errorType = "bad_data";
  readonly status = 400;
}

/** The request's content type or encoding is not one remote write defines: HTTP 415. */
export class UnsupportedRemoteWriteError extends Error {
  override readonly name = "UnsupportedRemoteWriteError";
  readonly errorType = "unsupported_media_type";
  readonly status = 415;
}

export function formatLabels(labels: readonly Label[]): string {
  return `{${labels.map((l) => `${JSON.stringify(l.name)}=${JSON.stringify(l.value)}`).join(", ")}}`;
}
