import type { LabelMatcher, Labels, Queryable, SelectHints, Series } from "@edgeprom/promql";
import type { MetadataRequest, SelectRequest, SelectedSeries } from "@edgeprom/tsdb";
import { decodeSelectedSeriesList } from "./decode";

/** The reads a querier needs from storage: `ShardedReader` over the Durable Objects, or anything alike. */
export interface SeriesReader {
  select(request: SelectRequest): Promise<SelectedSeries[]>;
  series(request?: MetadataRequest): Promise<Labels[]>;
  labelNames(request?: MetadataRequest): Promise<string[]>;
  labelValues(name: string, request?: MetadataRequest): Promise<string[]>;
}

/** Metadata lookups with Prometheus's `match[]`, `start`, `end` and `limit`. */
export interface MetadataQuery {
  selectors: readonly (readonly LabelMatcher[])[];
  start: number;
  end: number;
  /** 0 means no limit. */
  limit: number;
}

/** The aborted query's error, for callers that pass a signal. */
export class QueryAbortedError extends Error {
  override readonly name = "QueryAbortedError";
  readonly errorType = "canceled";
}

/**
 * What the PromQL engine evaluates against (its `Queryable`) and what the metadata endpoints read, over every shard:
 * one fan-out per selector, chunks decoded here in the Worker (chunk bytes are far smaller than samples on the wire).
 */
export class ShardedQuerier implements Queryable {
  readonly #reader: SeriesReader;

  constructor(reader: SeriesReader) {
    this.#reader = reader;
  }

  /** The engine's storage interface; metadata methods are on this object too. */
  get queryable(): Queryable {
    return this;
  }

  async select(hints: SelectHints, matchers: readonly LabelMatcher[], signal?: AbortSignal): Promise<Series[]> {
    if (signal?.aborted) throw new QueryAbortedError("query was canceled before storage was read");
    const selected = await this.#reader.select({ matchers, mint: hints.start, maxt: hints.end });
    if (signal?.aborted) throw new QueryAbortedError("query was canceled while storage was read");
    return decodeSelectedSeriesList(selected, hints.start, hints.end);
  }

  series(query: MetadataQuery): Promise<Labels[]> {
    return this.#reader.series(metadataRequest(query));
  }

  labelNames(query: MetadataQuery): Promise<string[]> {
    return this.#reader.labelNames(metadataRequest(query));
  }

  labelValues(name: string, query: MetadataQuery): Promise<string[]> {
    return this.#reader.labelValues(name, metadataRequest(query));
  }
}

function metadataRequest(query: MetadataQuery): MetadataRequest {
  return {
    selectors: query.selectors,
    mint: query.start,
    maxt: query.end,
    ...(query.limit > 0 ? { limit: query.limit } : {}),
  };
}

/** What the query API reads: PromQL storage plus metadata lookups. `ShardedQuerier` is the implementation. */
export type QueryBackend = Pick<ShardedQuerier, "queryable" | "series" | "labelNames" | "labelValues">;
