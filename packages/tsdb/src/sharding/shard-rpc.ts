import type { AppendResult } from "../head/append-result";
import type { LabelMatcher } from "../index/matcher";
import type { Labels } from "../labels/label";
import type { PackedSelection } from "../shard/select-codec";
import type { MetadataRequest, SelectRequest, ShardStats } from "../shard/select-types";
import type { AppendBatch } from "../wal/append-batch";

/**
 * The RPC surface of one `SeriesShard`, as seen from a Worker. A `DurableObjectStub<SeriesShard>` satisfies it; it is
 * declared structurally so this package's pure code (and its Node tests) need no Workers types.
 */
export interface ShardRpc {
  append(batch: AppendBatch | Uint8Array): PromiseLike<AppendResult>;
  /** The answer packed into one buffer; `decodeSelection` (shard/select-codec) unpacks it. */
  select(request: SelectRequest): PromiseLike<PackedSelection>;
  labelNames(request?: MetadataRequest): PromiseLike<string[]>;
  labelValues(name: string, request?: MetadataRequest): PromiseLike<string[]>;
  series(request?: MetadataRequest): PromiseLike<Labels[]>;
  stats(limit?: number): PromiseLike<ShardStats>;
  deleteSeries(matchers: LabelMatcher[], mint: number, maxt: number): PromiseLike<{ seriesDeleted: number }>;
}

/** The part of a Durable Object namespace binding used to reach shards (`env.SERIES_SHARD`). */
export interface ShardNamespace<Id = unknown> {
  idFromName(name: string): Id;
  get(id: Id): ShardRpc;
}

/** Shard `i` is the object named `shard-i`. */
export function shardName(index: number): string {
  return `shard-${index}`;
}

/** `EDGEPROM_SHARDS` is not a usable shard count. */
export class ShardCountError extends Error {
  override readonly name = "ShardCountError";
}

/** Parses `EDGEPROM_SHARDS` (default 16). The count is fixed for the life of a deployment. */
export function shardCountFrom(value: string | undefined, fallback = 16): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 4096) {
    throw new ShardCountError(`EDGEPROM_SHARDS must be an integer from 1 to 4096, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A call to one shard failed; the whole operation fails with the shard named. */
export class ShardCallError extends Error {
  override readonly name = "ShardCallError";
  constructor(
    readonly shard: string,
    readonly operation: string,
    cause: unknown,
  ) {
    super(`${operation} on ${shard} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  /** The HTTP API category (`toApiError` in @edgeprom/http reads it). */
  readonly errorType = "unavailable";
}

/** Most outgoing calls a Worker keeps open at once (Cloudflare's simultaneous connection limit). */
export const MAX_IN_FLIGHT = 6;

/**
 * Runs `call` for every index with at most `limit` calls in flight; resolves with the results in index order, or
 * rejects with the first `ShardCallError` once the calls already started have settled.
 */
export async function forEachShard<T>(
  indexes: readonly number[],
  operation: string,
  call: (index: number) => PromiseLike<T>,
  limit = MAX_IN_FLIGHT,
): Promise<T[]> {
  const results = new Array<T>(indexes.length);
  let next = 0;
  let failure: ShardCallError | null = null;
  const worker = async () => {
    while (failure === null && next < indexes.length) {
      const slot = next++;
      const index = indexes[slot];
      try {
        results[slot] = await call(index);
      } catch (err) {
        failure ??= new ShardCallError(shardName(index), operation, err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, indexes.length) }, worker));
  if (failure) throw failure;
  return results;
}
