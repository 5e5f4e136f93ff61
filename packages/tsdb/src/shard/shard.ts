import { compileMatchers, type LabelMatcher } from "../index/matcher";
import { mergePostings } from "../index/postings";
import { compareLabels, compareStrings, type Labels } from "../labels/label";
import type { AppendResult } from "../head/append-result";
import { packChunkSegments, SegmentDirectory } from "../head/chunk-segment";
import { DEFAULT_CUT_RULES, Head, type ChunkCutRules } from "../head/head";
import type { FloatChunkCodec } from "../head/head-chunk";
import type { MemSeries } from "../head/mem-series";
import type { AppendBatch } from "../wal/append-batch";
import { decodeAppendBatch, encodeAppendBatch, isAppendBatchBytes } from "../wal/batch-codec";
import { decodeWalRecord, encodeWalRecord, readWalRecords, walRowsFor } from "../wal/wal-rows";
import type { ColumnarBatch } from "../wal/batch-codec";
import type {
  CompactableChunks,
  MetadataRequest,
  SelectedChunk,
  SelectedSeries,
  SelectRequest,
  ShardStats,
} from "./select-types";
import { DEFAULT_SELECT_LIMIT_BYTES } from "./select-types";
import type { ShardMeta, ShardStorage } from "./storage";
import { decodeTombstone, encodeTombstone, Tombstones, type Interval } from "./tombstones";
import { BytesLru } from "../cache/bytes-lru";

/** When the shard folds its WAL into chunk segments and a head snapshot. */
export interface CheckpointPolicy {
  /** WAL bytes since the last checkpoint. Bounds replay time after a restart. */
  maxWalBytes: number;
  maxWalRows: number;
  /** Bytes of closed chunks kept in memory until the next checkpoint. */
  maxPendingChunkBytes: number;
  /**
   * Age of the oldest WAL row. A slowly written shard would otherwise keep closed chunks in memory (and out of
   * block compaction's reach) for days before reaching the size limits.
   */
  maxWalAgeMs: number;
  /**
   * A series whose newest sample is this much older than the shard's newest sample (data time, as Prometheus's head
   * truncation) has its open chunk closed at the next checkpoint, and is forgotten once none of its chunks is left
   * in the shard (they are in blocks by then).
   */
  idleSeriesMs: number;
  /**
   * A shard that received no append for this long checkpoints (from its alarm) once its WAL holds at least
   * `idleCheckpointMinWalBytes`. An idle Durable Object is evicted (after ~10 s under `wrangler dev`, a minute or two
   * on Cloudflare) and the next call replays the whole WAL first: measured under `wrangler dev`, a query 20 s after
   * a bulk ingest of 7.5 M samples took 4.4–5 s instead of 0.5 s, every time the shards were evicted again.
   */
  idleCheckpointMs: number;
  idleCheckpointMinWalBytes: number;
}

export const DEFAULT_CHECKPOINT_POLICY: Readonly<CheckpointPolicy> = {
  maxWalBytes: 32 * 1024 * 1024,
  maxWalRows: 8192,
  maxPendingChunkBytes: 8 * 1024 * 1024,
  maxWalAgeMs: 30 * 60_000,
  idleSeriesMs: 60 * 60_000,
  idleCheckpointMs: 5_000,
  // A trickle writer (a few scrapes) replays in milliseconds: no need to checkpoint it whenever it pauses.
  idleCheckpointMinWalBytes: 256 * 1024,
};

export interface ShardOptions {
  codec: FloatChunkCodec;
  cutRules?: ChunkCutRules;
  checkpoint?: Partial<CheckpointPolicy>;
  /** Wall clock for WAL age (default `Date.now`). */
  now?: () => number;
  /** Bytes of segment data kept in memory for selects (default `DEFAULT_SEGMENT_CACHE_BYTES`; 0 turns it off). */
  segmentCacheBytes?: number;
}

/** As much as the pending chunks a checkpoint folds (`maxPendingChunkBytes`): memory the shard budgets anyway. */
export const DEFAULT_SEGMENT_CACHE_BYTES = 8 * 1024 * 1024;

/** An append input checked and decoded, ready for `appendMany`. */
export interface PreparedAppend {
  bytes: Uint8Array;
  batch: ColumnarBatch;
}

/** A select whose answer would exceed its byte limit (and the RPC message limit): the query must be narrowed. */
export class SelectTooLargeError extends Error {
  override readonly name = "SelectTooLargeError";
  toApiError(): { errorType: "execution"; message: string } {
    return { errorType: "execution", message: this.message };
  }
}

/** A metadata or select request whose arguments do not make sense. */
export class ShardRequestError extends Error {
  override readonly name = "ShardRequestError";
  /** The HTTP API category (`toApiError` in @edgeprom/http reads it). */
  readonly errorType = "bad_data";
}

/**
 * One shard's storage engine, independent of Durable Objects: a head in memory, a WAL row per append, chunk
 * segments and head snapshots written at checkpoints, all through `ShardStorage`. See docs/tsdb-shard.md.
 */
export class Shard {
  readonly #storage: ShardStorage;
  readonly #head: Head;
  readonly #codec: FloatChunkCodec;
  readonly #rules: ChunkCutRules;
  readonly #policy: CheckpointPolicy;
  readonly #tombstones = new Tombstones();
  #segments: SegmentDirectory[] = [];
  /**
   * The chunk data of segments a checkpoint wrote or a select read (segments never change once written). A select
   * reads a segment with SQLite's `substr`, which loads the whole blob however little of it is wanted: measured
   * under `wrangler dev` after a checkpoint, 30 % of the isolate's time for `histogram_quantile(0.9, ...)` over 1 h
   * (~7 ms of a 23 ms query), re-read on every dashboard refresh.
   */
  readonly #segmentCache: BytesLru<number>;
  #meta: ShardMeta;
  #walSeq = 0;
  #walRows = 0;
  #walBytes = 0;
  #checkpoints = 0;
  #checkpointError: string | null = null;
  /** When the first WAL row since the last checkpoint was written (after a restart: when it was replayed). */
  #walStartedAt: number | null = null;
  /** Wall-clock time of the last append that reached the WAL. */
  #lastAppendAt = -Infinity;
  readonly #now: () => number;

  private constructor(storage: ShardStorage, options: ShardOptions, meta: ShardMeta) {
    this.#storage = storage;
    this.#codec = options.codec;
    this.#rules = options.cutRules ?? DEFAULT_CUT_RULES;
    this.#head = new Head(options.codec, this.#rules);
    this.#policy = { ...DEFAULT_CHECKPOINT_POLICY, ...options.checkpoint };
    this.#now = options.now ?? Date.now;
    this.#meta = meta;
    this.#segmentCache = new BytesLru<number>(options.segmentCacheBytes ?? DEFAULT_SEGMENT_CACHE_BYTES);
  }

  /** Opens a shard: loads series, chunk directories, tombstones and the head snapshot, then replays the WAL. */
  static open(storage: ShardStorage, options: ShardOptions): Shard {
    let meta = storage.readMeta();
    if (!meta) {
      meta = { generation: 0, nextSeriesId: 1, nextSegmentId: 1, nextTombstoneId: 1 };
      const fresh = meta;
      storage.transaction(() => {
        storage.createGeneration(fresh.generation);
        storage.writeMeta(fresh);
      });
    }
    const shard = new Shard(storage, options, meta);
    shard.#load();
    return shard;
  }

  #load(): void {
    const head = this.#head;
    for (const { bytes } of this.#storage.readSeriesSegments()) head.loadSeriesSegment(bytes);
    head.nextSeriesId = Math.max(head.nextSeriesId, this.#meta.nextSeriesId);
    for (const row of this.#storage.readChunkSegmentDirectories()) {
      const dir = new SegmentDirectory(row);
      this.#segments.push(dir);
      for (let i = 0; i < dir.chunkCount; i++) head.notePersisted(dir.seriesIds[i], 1, dir.mints[i]);
    }
    for (const { bytes } of this.#storage.readTombstones()) {
      const { seriesIds, interval } = decodeTombstone(bytes);
      this.#tombstones.add(seriesIds, interval);
    }
    for (const part of this.#storage.readSnapshot(this.#meta.generation)) head.loadSnapshotPart(part);
    for (const { seq, record, rows, bytes } of readWalRecords(this.#storage.readWal(this.#meta.generation))) {
      for (const bytes of decodeWalRecord(record)) head.append(decodeAppendBatch(bytes));
      this.#walSeq = seq + 1;
      this.#walRows += rows;
      this.#walBytes += bytes;
    }
    if (this.#walRows > 0) this.#walStartedAt = this.#now();
    // Series a previous run collected (or that never kept a sample) come back from series segments: forget them.
    head.collectGarbage(head.maxTime - this.#policy.idleSeriesMs);
  }

  get seriesCount(): number {
    return this.#head.seriesCount;
  }

  /**
   * Appends a batch. The batch is durable (one WAL row, more only past 1.5 MB) before the head changes; refused
   * samples are counted, never thrown, so the rest of the batch is kept.
   */
  append(input: AppendBatch | Uint8Array): AppendResult {
    return this.appendMany([this.prepare(input)])[0];
  }

  /** Checks and decodes one append input (throws `ShardRequestError`/`CorruptRecordError` for bad bytes). */
  prepare(input: AppendBatch | Uint8Array): PreparedAppend {
    // Plain batches take the same path as encoded ones: the WAL stores the encoding either way.
    if (!(input instanceof Uint8Array)) input = encodeAppendBatch(input);
    else if (!isAppendBatchBytes(input)) throw new ShardRequestError("append: bytes are not an encoded append batch");
    return { bytes: input, batch: decodeAppendBatch(input) };
  }

  /**
   * Appends several prepared batches as ONE WAL record (group commit: concurrent appends cost one row), then applies
   * them to the head in order. Each gets its own result.
   */
  appendMany(inputs: readonly PreparedAppend[]): AppendResult[] {
    const live = inputs.filter((p) => p.batch.seriesCount > 0);
    if (live.length > 0) {
      const record = encodeWalRecord(live.map((p) => p.bytes));
      const gen = this.#meta.generation;
      const rows = walRowsFor(record);
      const seq = this.#walSeq;
      this.#storage.transaction(() => {
        rows.forEach((row, i) => this.#storage.appendWal(gen, seq + i, row));
      });
      this.#walSeq += rows.length;
      this.#walRows += rows.length;
      this.#walBytes += record.length;
      this.#walStartedAt ??= this.#now();
      this.#lastAppendAt = this.#now();
    }
    const results = inputs.map((p) => this.#head.append(p.batch));
    if (live.length > 0 && this.#checkpointDue()) {
      // The batches are already durable in the WAL: a failed checkpoint must not fail the append. It is retried on
      // the next append and reported in stats.
      try {
        this.checkpoint();
        this.#checkpointError = null;
      } catch (err) {
        this.#checkpointError = err instanceof Error ? err.message : String(err);
      }
    }
    return results;
  }

  /** When the WAL becomes old enough for a checkpoint (null when it is empty): a Durable Object alarm time. */
  checkpointDeadline(): number | null {
    return this.#walStartedAt === null ? null : this.#walStartedAt + this.#policy.maxWalAgeMs;
  }

  /**
   * When the shard will have been idle long enough to checkpoint (`idleCheckpointMs` after the last append), or null
   * while its WAL is below `idleCheckpointMinWalBytes`: the Durable Object sets its alarm no later than this.
   */
  idleCheckpointAt(): number | null {
    if (this.#walRows === 0 || this.#walBytes < this.#policy.idleCheckpointMinWalBytes) return null;
    // After a restart nothing was appended yet: the replayed WAL is folded at the first alarm.
    return Number.isFinite(this.#lastAppendAt) ? this.#lastAppendAt + this.#policy.idleCheckpointMs : this.#now();
  }

  /** Checkpoints if a limit is reached or the shard is idle (called from the Durable Object's alarm). */
  checkpointIfDue(): boolean {
    if (this.#walRows === 0) return false;
    const idleAt = this.idleCheckpointAt();
    if (!this.#checkpointDue() && !(idleAt !== null && this.#now() >= idleAt)) return false;
    this.checkpoint();
    return true;
  }

  #checkpointDue(): boolean {
    const deadline = this.checkpointDeadline();
    return (
      (deadline !== null && this.#now() >= deadline) ||
      this.#walBytes >= this.#policy.maxWalBytes ||
      this.#walRows >= this.#policy.maxWalRows ||
      this.#head.pendingChunkBytes >= this.#policy.maxPendingChunkBytes
    );
  }

  /**
   * Folds the WAL away in one transaction: closed chunks go into segment rows, new series into a series segment,
   * the head's state into a fresh snapshot generation, and the old generation's WAL and snapshot tables are dropped.
   */
  checkpoint(): void {
    const head = this.#head;
    head.closeIdleChunks(head.maxTime - this.#policy.idleSeriesMs);
    const pending = head.takePendingChunks();
    const newSeries = head.takeNewSeries();
    const snapshot = head.snapshotParts();
    const before = { ...this.#meta };
    const meta = { ...this.#meta, generation: before.generation + 1, nextSeriesId: head.nextSeriesId };
    let segments;
    try {
      segments = this.#storage.transaction(() => {
        const rows = packChunkSegments(pending, this.#rules.chunkRange, () => meta.nextSegmentId++);
        for (const row of rows) this.#storage.writeChunkSegment(row);
        if (newSeries.bytes) this.#storage.writeSeriesSegment(meta.nextSegmentId++, newSeries.bytes);
        this.#storage.createGeneration(meta.generation);
        snapshot.forEach((part, i) => this.#storage.writeSnapshotPart(meta.generation, i, part));
        this.#storage.writeMeta(meta);
        this.#storage.dropGeneration(before.generation);
        return rows;
      });
    } catch (err) {
      head.restorePendingChunks(pending);
      newSeries.restore();
      throw err;
    }
    this.#meta = meta;
    for (const row of segments) {
      this.#segments.push(new SegmentDirectory(row));
      this.#segmentCache.put(row.id, row.data);
    }
    for (const c of pending) head.notePersisted(c.seriesId, 1, c.mint);
    this.#walSeq = 0;
    this.#walRows = 0;
    this.#walBytes = 0;
    this.#walStartedAt = null;
    this.#checkpoints++;
  }

  // ---- reads ----

  #selectIds(matchers: readonly LabelMatcher[]): number[] {
    return this.#head.postings.select(compileMatchers(matchers), (id) => this.#head.series(id)?.labels);
  }

  select(request: SelectRequest): SelectedSeries[] {
    const { mint, maxt } = request;
    if (!(mint <= maxt)) throw new ShardRequestError(`select: mint ${mint} is after maxt ${maxt}`);
    const ids = this.#selectIds(request.matchers);
    const segments = this.#segments.filter((s) => s.maxt >= mint && s.mint <= maxt);
    const selected = this.#head.seriesById(ids);
    // Pass 1: which persisted chunks each series needs, and the byte span each segment must be read over (chunks
    // are sorted by series id, so a selective query reads a small part of each segment).
    const wanted: { seg: SegmentDirectory; index: number }[][] = selected.map(() => []);
    const spans = new Map<SegmentDirectory, { from: number; to: number; data: Uint8Array | null }>();
    selected.forEach((series, k) => {
      for (const seg of segments) {
        let i = seg.firstOf(series.id);
        if (i < 0) continue;
        for (; i < seg.chunkCount && seg.seriesIds[i] === series.id; i++) {
          if (seg.maxts[i] < mint || seg.mints[i] > maxt) continue;
          wanted[k].push({ seg, index: i });
          const end = seg.offsets[i] + seg.lengths[i];
          const span = spans.get(seg);
          if (!span) spans.set(seg, { from: seg.offsets[i], to: end, data: null });
          else {
            span.from = Math.min(span.from, seg.offsets[i]);
            span.to = Math.max(span.to, end);
          }
        }
      }
    });
    const limit = request.limitBytes ?? DEFAULT_SELECT_LIMIT_BYTES;
    let bytes = 0;
    for (const list of wanted) for (const { seg, index } of list) bytes += seg.lengths[index];
    const tooLarge = () =>
      new SelectTooLargeError(
        `select would return more than ${limit} bytes of chunks from this shard; narrow the selector or the time range`,
      );
    if (bytes > limit) throw tooLarge();
    for (const [seg, span] of spans) {
      const cached = this.#segmentCache.get(seg.id);
      if (cached !== undefined) span.data = cached.subarray(span.from, span.to);
      else if (this.#segmentCache.maxBytes > 0) {
        // SQLite loads the whole blob for a substring anyway: read it all once and keep it.
        const data = this.#storage.readChunkSegmentData(seg.id);
        this.#segmentCache.put(seg.id, data);
        span.data = data.subarray(span.from, span.to);
      } else span.data = this.#storage.readChunkSegmentRange(seg.id, span.from, span.to - span.from);
    }
    const out: SelectedSeries[] = [];
    let answerBytes = 0;
    selected.forEach((series, k) => {
      const chunks: SelectedChunk[] = [];
      for (const { seg, index: i } of wanted[k]) {
        const span = spans.get(seg)!;
        const at = seg.offsets[i] - span.from;
        const bytes = span.data!.slice(at, at + seg.lengths[i]);
        chunks.push({ encoding: seg.encodings[i], mint: seg.mints[i], maxt: seg.maxts[i], data: bytes });
      }
      for (const c of this.#head.headChunks(series, mint, maxt)) {
        chunks.push({ encoding: c.encoding, mint: c.mint, maxt: c.maxt, data: c.bytes });
      }
      const kept = this.#applyTombstones(series.id, chunks);
      if (kept.length === 0) return;
      answerBytes += kept.reduce((n, c) => n + c.data.length, 0);
      if (answerBytes > limit) throw tooLarge();
      kept.sort((a, b) => a.mint - b.mint);
      out.push({ labels: series.labels, chunks: kept });
    });
    return out.sort((a, b) => compareLabels(a.labels, b.labels));
  }

  /** Drops chunks wholly deleted and re-encodes those partly deleted, so readers never see deleted samples. */
  #applyTombstones(seriesId: number, chunks: SelectedChunk[]): SelectedChunk[] {
    if (this.#tombstones.intervals(seriesId).length === 0) return chunks;
    const out: SelectedChunk[] = [];
    for (const c of chunks) {
      if (this.#tombstones.covers(seriesId, c.mint, c.maxt)) continue;
      if (!this.#tombstones.overlaps(seriesId, c.mint, c.maxt) || c.encoding !== this.#codec.encoding) {
        out.push(c);
        continue;
      }
      const rewritten = this.#codec.create();
      let mint = Infinity;
      let maxt = -Infinity;
      this.#codec.forEach(c.data, (t, v) => {
        if (this.#tombstones.deletes(seriesId, t)) return;
        rewritten.append(t, v);
        if (t < mint) mint = t;
        maxt = t;
      });
      if (rewritten.numSamples() > 0) out.push({ encoding: c.encoding, mint, maxt, data: rewritten.bytes() });
    }
    return out;
  }

  /** Series (as ids) matching any selector (all series when none), with data in [mint, maxt] if given. */
  #metadataSeries(request: MetadataRequest): MemSeries[] {
    const selectors = request.selectors ?? [];
    const ids =
      selectors.length === 0
        ? Array.from(this.#head.postings.all())
        : mergePostings(selectors.map((matchers) => this.#selectIds(matchers)));
    const mint = request.mint ?? -Infinity;
    const maxt = request.maxt ?? Infinity;
    if (!(mint <= maxt)) throw new ShardRequestError(`mint ${mint} is after maxt ${maxt}`);
    return this.#head
      .seriesById(ids)
      .filter(
        (s) =>
          s.firstT <= maxt &&
          s.lastT >= mint &&
          !this.#tombstones.covers(s.id, Math.max(s.firstT, mint), Math.min(s.lastT, maxt)),
      );
  }

  #unbounded(request: MetadataRequest): boolean {
    return (request.selectors ?? []).length === 0 && request.mint === undefined && request.maxt === undefined;
  }

  labelNames(request: MetadataRequest = {}): string[] {
    let names: string[];
    if (this.#unbounded(request)) names = this.#head.postings.labelNames();
    else {
      const set = new Set<string>();
      for (const s of this.#metadataSeries(request)) for (const l of s.labels) set.add(l.name);
      names = [...set].sort(compareStrings);
    }
    return request.limit ? names.slice(0, request.limit) : names;
  }

  labelValues(name: string, request: MetadataRequest = {}): string[] {
    let values: string[];
    if (this.#unbounded(request)) values = this.#head.postings.labelValues(name);
    else {
      const set = new Set<string>();
      for (const s of this.#metadataSeries(request)) {
        for (const l of s.labels) if (l.name === name) set.add(l.value);
      }
      values = [...set].sort(compareStrings);
    }
    return request.limit ? values.slice(0, request.limit) : values;
  }

  series(request: MetadataRequest = {}): Labels[] {
    const out = this.#metadataSeries(request)
      .map((s) => s.labels)
      .sort(compareLabels);
    return request.limit ? out.slice(0, request.limit) : out;
  }

  stats(limit = 10): ShardStats {
    const postings = this.#head.postings.stats(limit);
    let minTime = Infinity;
    let maxTime = -Infinity;
    for (const s of this.#head.allSeries()) {
      if (s.firstT < minTime) minTime = s.firstT;
      if (s.lastT > maxTime) maxTime = s.lastT;
    }
    let persistedChunks = 0;
    for (const seg of this.#segments) persistedChunks += seg.chunkCount;
    return {
      headStats: {
        numSeries: this.#head.seriesCount,
        numLabelPairs: postings.numLabelPairs,
        chunkCount: this.#head.headChunkCount + persistedChunks,
        minTime: Number.isFinite(minTime) ? minTime : 0,
        maxTime: Number.isFinite(maxTime) ? maxTime : 0,
      },
      seriesCountByMetricName: postings.seriesCountByMetricName,
      labelValueCountByLabelName: postings.labelValueCountByLabelName,
      memoryInBytesByLabelName: postings.memoryInBytesByLabelName,
      seriesCountByLabelValuePair: postings.seriesCountByLabelValuePair,
      storage: {
        walRows: this.#walRows,
        walBytes: this.#walBytes,
        chunkSegments: this.#segments.length,
        persistedChunks,
        pendingChunks: this.#head.pendingChunkCount,
        databaseBytes: this.#storage.databaseBytes(),
        rowsWritten: this.#storage.rowsWritten,
        checkpoints: this.#checkpoints,
        lastCheckpointError: this.#checkpointError,
      },
    };
  }

  /** Deletes [mint, maxt] of every matching series with one tombstone row; returns how many series it touched. */
  deleteSeries(matchers: readonly LabelMatcher[], mint: number, maxt: number): { seriesDeleted: number } {
    if (!(mint <= maxt)) throw new ShardRequestError(`deleteSeries: mint ${mint} is after maxt ${maxt}`);
    const ids = this.#selectIds(matchers);
    if (ids.length === 0) return { seriesDeleted: 0 };
    const interval: Interval = { mint, maxt };
    const id = this.#meta.nextTombstoneId;
    const meta = { ...this.#meta, nextTombstoneId: id + 1 };
    this.#storage.transaction(() => {
      this.#storage.writeTombstones(id, encodeTombstone(ids, interval));
      this.#storage.writeMeta(meta);
    });
    this.#meta = meta;
    this.#tombstones.add(ids, interval);
    return { seriesDeleted: ids.length };
  }

  // ---- block compaction ----

  /**
   * The persisted chunks of every segment that ends before `before`, grouped by series, for writing a block.
   * Chunks never cross a 2h boundary (see the cut rules), so a caller asking for `before` = a 2h boundary gets whole
   * blocks' worth. Chunks still in the head (open, or closed since the last checkpoint) are not included.
   */
  closedChunksBefore(before: number, maxSegments = Infinity): CompactableChunks {
    const segments = this.#segments.filter((s) => s.maxt < before).slice(0, maxSegments);
    const bySeries = new Map<number, SelectedChunk[]>();
    let mint = Infinity;
    let maxt = -Infinity;
    for (const seg of segments) {
      // Compaction reads each segment once: use a cached copy, but do not fill the cache with old data.
      const data = this.#segmentCache.get(seg.id) ?? this.#storage.readChunkSegmentData(seg.id);
      mint = Math.min(mint, seg.mint);
      maxt = Math.max(maxt, seg.maxt);
      for (let i = 0; i < seg.chunkCount; i++) {
        const chunk = {
          encoding: seg.encodings[i],
          mint: seg.mints[i],
          maxt: seg.maxts[i],
          data: data.slice(seg.offsets[i], seg.offsets[i] + seg.lengths[i]),
        };
        const list = bySeries.get(seg.seriesIds[i]);
        if (list) list.push(chunk);
        else bySeries.set(seg.seriesIds[i], [chunk]);
      }
    }
    const series = [];
    for (const [id, chunks] of bySeries) {
      const s = this.#head.series(id);
      if (!s) continue;
      chunks.sort((a, b) => a.mint - b.mint);
      series.push({ labels: s.labels, chunks, tombstones: [...this.#tombstones.intervals(id)] });
    }
    series.sort((a, b) => compareLabels(a.labels, b.labels));
    return { segmentIds: segments.map((s) => s.id), mint, maxt, series };
  }

  /** Deletes segments whose chunks are now in a block (ids from `closedChunksBefore`). */
  dropCompacted(segmentIds: readonly number[]): { segmentsDropped: number; seriesCollected: number } {
    const drop = new Set(segmentIds);
    const dropped = this.#segments.filter((s) => drop.has(s.id));
    this.#storage.transaction(() => this.#storage.deleteChunkSegments(dropped.map((s) => s.id)));
    this.#segments = this.#segments.filter((s) => !drop.has(s.id));
    for (const seg of dropped) this.#segmentCache.delete(seg.id);
    for (const seg of dropped) {
      for (let i = 0; i < seg.chunkCount; i++) this.#head.notePersisted(seg.seriesIds[i], -1, seg.mints[i]);
    }
    const seriesCollected = this.#head.collectGarbage(this.#head.maxTime - this.#policy.idleSeriesMs);
    return { segmentsDropped: dropped.length, seriesCollected };
  }
}
