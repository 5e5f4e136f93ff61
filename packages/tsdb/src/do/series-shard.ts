import { DurableObject } from "cloudflare:workers";
import type { AppendResult } from "../head/append-result";
import { xorHeadCodec } from "../head/xor-head-codec";
import type { LabelMatcher } from "../index/matcher";
import type { Labels } from "../labels/label";
import type {
  CompactableChunks,
  MetadataRequest,
  SelectedSeries,
  SelectRequest,
  ShardStats,
} from "../shard/select-types";
import { GroupCommitter } from "../shard/group-commit";
import { Shard } from "../shard/shard";
import type { AppendBatch } from "../wal/append-batch";
import { SqliteShardStorage } from "./sqlite-shard-storage";

/** What a shard reports about itself; `/-/ready` asks shard 0 for it. */
export interface ShardStatus {
  shard: string;
  series: number;
}

/** The bindings a shard uses: the bucket its compacted blocks go to. */
export interface SeriesShardEnv {
  BLOCKS: R2Bucket;
}

/** The shard could not load its storage; the cause is in the message and `cause`. */
export class ShardStartError extends Error {
  override readonly name = "ShardStartError";
}

/**
 * One shard of the series space: head, WAL, chunk segments and postings in its SQLite database, reached over RPC
 * from the Worker (ingest appends, query selects). The methods only translate to the pure `Shard`
 * (`../shard/shard.ts`) and return plain data.
 */
export class SeriesShard extends DurableObject<SeriesShardEnv> {
  #shard: Shard | null = null;
  readonly #committer = new GroupCommitter(
    () => this.#open(),
    (fn) => setTimeout(fn, 0),
  );

  constructor(ctx: DurableObjectState, env: SeriesShardEnv) {
    super(ctx, env);
    // Start-up (schema, snapshot, WAL replay) runs before any call is delivered. A failure is kept and rethrown by
    // the calls, so the object is not wedged and the next call retries.
    void ctx.blockConcurrencyWhile(async () => {
      this.#open();
    });
  }

  #open(): Shard {
    if (this.#shard) return this.#shard;
    try {
      this.#shard = Shard.open(new SqliteShardStorage(this.ctx.storage), { codec: xorHeadCodec });
      return this.#shard;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ShardStartError(`shard ${this.#name()} failed to start: ${message}`, { cause: err });
    }
  }

  #name(): string {
    return this.ctx.id.name ?? this.ctx.id.toString();
  }

  /** Appends a batch; concurrent appends are committed together as one WAL row (see GroupCommitter). */
  async append(batch: AppendBatch | Uint8Array): Promise<AppendResult> {
    return this.#committer.append(batch);
  }

  async select(request: SelectRequest): Promise<SelectedSeries[]> {
    return this.#open().select(request);
  }

  async labelNames(request: MetadataRequest = {}): Promise<string[]> {
    return this.#open().labelNames(request);
  }

  async labelValues(name: string, request: MetadataRequest = {}): Promise<string[]> {
    return this.#open().labelValues(name, request);
  }

  async series(request: MetadataRequest = {}): Promise<Labels[]> {
    return this.#open().series(request);
  }

  async stats(limit = 10): Promise<ShardStats> {
    return this.#open().stats(limit);
  }

  async deleteSeries(matchers: LabelMatcher[], mint: number, maxt: number): Promise<{ seriesDeleted: number }> {
    return this.#open().deleteSeries(matchers, mint, maxt);
  }

  async checkpoint(): Promise<void> {
    this.#open().checkpoint();
  }

  async closedChunksBefore(before: number, maxSegments?: number): Promise<CompactableChunks> {
    return this.#open().closedChunksBefore(before, maxSegments);
  }

  async dropCompacted(segmentIds: number[]): Promise<{ segmentsDropped: number }> {
    return this.#open().dropCompacted(segmentIds);
  }

  async status(): Promise<ShardStatus> {
    return { shard: this.#name(), series: this.#open().seriesCount };
  }
}
