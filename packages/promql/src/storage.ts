import type { LabelMatcher, Labels } from "./value";
import type { FloatHistogram } from "./histogram/types";

/** What the engine tells storage about one selector, so storage can fetch only what is needed. */
export interface SelectHints {
  /** Earliest timestamp (ms, inclusive) the selector can read, after offset, @, lookback and ranges. */
  readonly start: number;
  /** Latest timestamp (ms, inclusive). */
  readonly end: number;
  /** Query step in ms (0 for instant queries). */
  readonly step?: number;
  /** Name of the function that surrounds the selector, if any (e.g. "rate"). */
  readonly func?: string;
  /** Range of a matrix selector in ms, 0 for instant vector selectors. */
  readonly range?: number;
}

/**
 * One series with its samples in [start, end], decoded. Floats and histograms are separate, each sorted by
 * timestamp; a timestamp occurs in at most one of the two. Stale markers are always float samples (the stale-marker NaN),
 * also in series that otherwise hold histograms.
 */
export interface Series {
  readonly labels: Labels;
  readonly floats: { readonly t: Float64Array; readonly v: Float64Array; readonly st?: Float64Array };
  readonly histograms?: {
    readonly t: Float64Array;
    readonly h: readonly FloatHistogram[];
    readonly st?: Float64Array;
  };
}

/** The storage the engine evaluates against. Implementations: in-memory (tests), sharded Durable Objects. */
export interface Queryable {
  select(hints: SelectHints, matchers: readonly LabelMatcher[], signal?: AbortSignal): Promise<Series[]>;
}
