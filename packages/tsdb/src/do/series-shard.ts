import { DurableObject } from "cloudflare:workers";
import type { AppendResult } from "../head/append-result";
import { xorHeadCodec } from "../head/xor-head-codec";
import type { LabelMatcher } from "../index/matcher";
import type { Labels } from "../labels/label";
import type { CompactableChunks, MetadataRequest, SelectRequest, ShardStats } from "../shard/select-types";
import { encodeSelection, type PackedSelection } from "../shard/select-codec";
import { GroupCommitter } from "../shard/group-commit";
import { Shard } from "../shard/shard";
import type { AppendBatch } from "../wal/append-batch";
import { SqliteShardStorage } from "./sqlite-shard-storage";
import { mergeSelectedSeries } from "../block/select-from-blocks";
import { ShardBlocks, type MaintenanceReport } from "../block/shard-blocks";
import { compareStrings, compareLabels } from "../labels/label";
import { R2ObjectStore } from "./block-r2-store";

/** What a shard reports about itself; `/-/ready` asks shard 0 for it. */
export interface ShardStatus {
  shard: string;
  series: number;
}

/** The bindings a shard uses: the bucket its compacted blocks go to. */
export interface SeriesShardEnv {
  BLOCKS: R2Bucket;
}

/** How long a failed checkpoint or maintenance pass waits before the alarm tries again. */
const ALARM_RETRY_MS = 60_000;

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
  /** The shard's blocks in R2 (docs/tsdb-blocks.md): older data, compacted on the alarm. */
  readonly #blocks: ShardBlocks;
  readonly #committer = new GroupCommitter(
    () => this.#open(),
    (fn) => setTimeout(fn, 0),
  );

  /** When block maintenance is next due; the alarm fires earlier for an idle checkpoint. */
  #maintenanceAt = 0;
  /** The alarm time this instance last set (null: unknown or consumed). */
  #alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: SeriesShardEnv) {
    super(ctx, env);
    this.#blocks = new ShardBlocks(new R2ObjectStore(env.BLOCKS), this.#name());
    // Start-up (schema, snapshot, WAL replay) runs before any call is delivered. A failure is kept and rethrown by
    // the calls, so the object is not wedged and the next call retries.
    void ctx.blockConcurrencyWhile(async () => {
      this.#open();
      this.#maintenanceAt = this.#blocks.nextMaintenance(Date.now());
      this.#alarmAt = await ctx.storage.getAlarm();
      await this.#arm();
    });
  }

  /**
   * The shard's one alarm: an idle checkpoint once appends stop (so an evicted shard restarts from a snapshot rather
   * than replaying its WAL), and block maintenance: closed chunks older than the recent window go to R2, blocks are
   * compacted and expired.
   */
  override async alarm(): Promise<void> {
    // An alarm set before this instance started (unknown: null) counts as maintenance.
    const onlyForIdle = this.#alarmAt !== null && this.#alarmAt < this.#maintenanceAt;
    this.#alarmAt = null;
    let retryAfter = 0;
    try {
      // Also folds the WAL of a shard that stopped receiving writes (age limit), so its closed chunks reach segments
      // and, from there, blocks.
      this.#open().checkpointIfDue();
      if (!onlyForIdle || Date.now() >= this.#maintenanceAt) await this.maintainBlocks();
    } catch (err) {
      // Retried by a later alarm (uploads are idempotent: duplicates merge), not at once: a failing checkpoint would
      // otherwise fire the alarm in a loop.
      retryAfter = Date.now() + ALARM_RETRY_MS;
      console.error(`shard ${this.#name()}: checkpoint or block maintenance failed`, err);
    }
    await this.#arm(retryAfter);
  }

  /** One maintenance pass now (the alarm's work; also callable for tests and admin tools). */
  async maintainBlocks(now: number = Date.now()): Promise<MaintenanceReport> {
    try {
      return await this.#blocks.maintain(this.#open(), now);
    } finally {
      this.#maintenanceAt = this.#blocks.nextMaintenance(Date.now());
    }
  }

  /** Sets the alarm for the earlier of the idle checkpoint and the next maintenance, unless one is set before it. */
  async #arm(notBefore = 0): Promise<void> {
    const idle = this.#shard?.idleCheckpointAt() ?? null;
    const at = Math.max(notBefore, idle === null ? this.#maintenanceAt : Math.min(idle, this.#maintenanceAt));
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    this.#alarmAt = at;
    await this.ctx.storage.setAlarm(at);
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
    const result = await this.#committer.append(batch);
    // The batch is durable: failing to schedule the idle checkpoint costs replay time later, not data.
    await this.#arm().catch((err: unknown) => console.error(`shard ${this.#name()}: setting the alarm failed`, err));
    return result;
  }

  /**
   * The head's series and chunks merged with the blocks' (chunks present in both, kept once), packed into one buffer
   * (`encodeSelection`): one RPC value instead of an object per series, label and chunk. `decodeSelection` unpacks.
   */
  async select(request: SelectRequest): Promise<PackedSelection> {
    const head = this.#open().select(request);
    const blocks = await this.#blocks.select(request.matchers, request.mint, request.maxt);
    return encodeSelection(blocks.length === 0 ? head : mergeSelectedSeries([head, blocks]));
  }

  async labelNames(request: MetadataRequest = {}): Promise<string[]> {
    const names = new Set([...this.#open().labelNames(request), ...(await this.#blocks.labelNames(request))]);
    return limit([...names].sort(compareStrings), request.limit);
  }

  async labelValues(name: string, request: MetadataRequest = {}): Promise<string[]> {
    const values = new Set([
      ...this.#open().labelValues(name, request),
      ...(await this.#blocks.labelValues(name, request)),
    ]);
    return limit([...values].sort(compareStrings), request.limit);
  }

  async series(request: MetadataRequest = {}): Promise<Labels[]> {
    const head = this.#open().series(request);
    const blocks = await this.#blocks.series(request);
    if (blocks.length === 0) return head;
    const seen = new Set(head.map((l) => JSON.stringify(l)));
    const all = [...head, ...blocks.filter((l) => !seen.has(JSON.stringify(l)))].sort(compareLabels);
    return limit(all, request.limit);
  }

  async stats(limit = 10): Promise<ShardStats> {
    return this.#open().stats(limit);
  }

  async deleteSeries(matchers: LabelMatcher[], mint: number, maxt: number): Promise<{ seriesDeleted: number }> {
    const result = this.#open().deleteSeries(matchers, mint, maxt);
    await this.#blocks.deleteSeries(matchers, mint, maxt);
    return result;
  }

  async checkpoint(): Promise<void> {
    this.#open().checkpoint();
  }

  async closedChunksBefore(before: number, maxSegments?: number): Promise<CompactableChunks> {
    return this.#open().closedChunksBefore(before, maxSegments);
  }

  async dropCompacted(segmentIds: number[]): Promise<{ segmentsDropped: number; seriesCollected: number }> {
    return this.#open().dropCompacted(segmentIds);
  }

  async status(): Promise<ShardStatus> {
    return { shard: this.#name(), series: this.#open().seriesCount };
  }
}

function limit<T>(items: T[], n: number | undefined): T[] {
  return n !== undefined && n > 0 && items.length > n ? items.slice(0, n) : items;
}
