import type { BlockChunk } from "./chunk";
import type { ChunkRewriter } from "./chunk-rewriter";
import { ChunksReader } from "./chunks-reader";
import { IndexReader, type IndexSeriesEntry } from "./index-reader";
import type { IndexChunkMeta } from "./index-writer";
import { compareUtf8, type Label, type LabelSet } from "./labels";
import { compileMatcher, type LabelMatcher } from "./matchers";
import type { BlockMeta } from "./meta";
import { intersectPostings, subtractPostings, unionPostings } from "./postings";
import type { RangeReader } from "./range-reader";
import { coversRange, decodeTombstones, overlapsRange, type Interval, type Tombstones } from "./tombstones";

/** What a block is read from: its meta, its index and segments as ranged objects, and its tombstones file. */
export interface BlockSource {
  readonly meta: BlockMeta;
  readonly index: RangeReader;
  readonly segments: readonly RangeReader[];
  /** The tombstones file, or null when the block has none. */
  readonly tombstones: Uint8Array | null;
}

/** One series of a select: its labels and raw chunks overlapping the asked range. */
export interface SelectedSeries {
  readonly labels: LabelSet;
  readonly chunks: BlockChunk[];
  /**
   * Deleted intervals that still cut through the returned chunks (only when no ChunkRewriter was given); the caller
   * must drop samples inside them after decoding.
   */
  readonly deleted?: Interval[];
}

export interface SelectOptions {
  /** Re-encodes chunks that tombstones cut through, so returned chunks hold no deleted sample. */
  readonly rewriter?: ChunkRewriter;
}

/**
 * Queries one block: label matchers → postings → series → chunks in [mint, maxt], honouring tombstones. The index
 * TOC, symbols and postings offset table stay in memory for the reader's life; everything else is read per query.
 */
export class BlockReader {
  private constructor(
    readonly meta: BlockMeta,
    readonly index: IndexReader,
    readonly chunks: ChunksReader,
    readonly tombstones: Tombstones,
  ) {}

  static async open(source: BlockSource): Promise<BlockReader> {
    const index = await IndexReader.open(source.index);
    const tombstones = source.tombstones === null ? new Map() : decodeTombstones(source.tombstones);
    return new BlockReader(source.meta, index, new ChunksReader(source.segments), tombstones);
  }

  /** Series references matching every matcher, sorted (Prometheus's PostingsForMatchers semantics). */
  async postingsForMatchers(matchers: readonly LabelMatcher[]): Promise<number[]> {
    const required: number[][] = [];
    const excluded: number[][] = [];
    for (const m of matchers) {
      const test = compileMatcher(m);
      const values = this.index.labelValues(m.name);
      if (!test("")) {
        // Only series that have the label with a matching value.
        const matching = values.filter(test);
        if (matching.length === 0) return [];
        required.push(unionPostings(await this.index.postings(m.name, matching)));
      } else {
        // Series without the label match too, so take away those whose value does not match.
        const failing = values.filter((v) => !test(v));
        if (failing.length > 0) excluded.push(unionPostings(await this.index.postings(m.name, failing)));
      }
    }
    let refs = required.length > 0 ? intersectPostings(required) : await this.index.allPostings();
    for (const e of excluded) refs = subtractPostings(refs, e);
    return refs;
  }

  /** Series matching `matchers` with their chunks overlapping [mint, maxt] (inclusive, ms). */
  async select(
    matchers: readonly LabelMatcher[],
    mint: number,
    maxt: number,
    options: SelectOptions = {},
  ): Promise<SelectedSeries[]> {
    if (maxt < this.meta.minTime || mint >= this.meta.maxTime) return [];
    const refs = await this.postingsForMatchers(matchers);
    const entries = await this.index.series(refs);

    const wanted: { entry: IndexSeriesEntry; metas: IndexChunkMeta[]; deleted: readonly Interval[] }[] = [];
    for (const entry of entries) {
      const deleted = this.tombstones.get(entry.ref) ?? [];
      const metas = entry.chunks.filter(
        (c) => c.maxt >= mint && c.mint <= maxt && !coversRange(deleted, c.mint, c.maxt),
      );
      if (metas.length > 0) wanted.push({ entry, metas, deleted });
    }
    const chunks = await this.chunks.read(wanted.flatMap((w) => w.metas));

    const out: SelectedSeries[] = [];
    let k = 0;
    for (const { entry, metas, deleted } of wanted) {
      let seriesChunks = chunks.slice(k, k + metas.length);
      k += metas.length;
      const cut = deleted.filter((d) => seriesChunks.some((c) => overlapsRange([d], c.mint, c.maxt)));
      if (cut.length === 0) {
        out.push({ labels: entry.labels, chunks: seriesChunks });
      } else if (options.rewriter) {
        const untouched = seriesChunks.filter((c) => !overlapsRange(cut, c.mint, c.maxt));
        const touched = seriesChunks.filter((c) => overlapsRange(cut, c.mint, c.maxt));
        seriesChunks = [...untouched, ...options.rewriter(touched, cut)].sort((a, b) => a.mint - b.mint);
        if (seriesChunks.length > 0) out.push({ labels: entry.labels, chunks: seriesChunks });
      } else {
        out.push({ labels: entry.labels, chunks: seriesChunks, deleted: cut });
      }
    }
    return out;
  }

  /** Label sets of the series matching `matchers` (no chunk is read). */
  async seriesLabels(matchers: readonly LabelMatcher[]): Promise<Label[][]> {
    const entries = await this.index.series(await this.postingsForMatchers(matchers));
    return entries.filter((e) => e.chunks.length > 0).map((e) => e.labels);
  }

  /** Label names, from the postings offset table alone when there are no matchers. */
  async labelNames(matchers: readonly LabelMatcher[] = []): Promise<string[]> {
    if (matchers.length === 0) return this.index.labelNames();
    const names = new Set<string>();
    for (const labels of await this.seriesLabels(matchers)) for (const l of labels) names.add(l.name);
    return [...names].sort(compareUtf8);
  }

  /** Values of one label name, from the postings offset table alone when there are no matchers. */
  async labelValues(name: string, matchers: readonly LabelMatcher[] = []): Promise<string[]> {
    if (matchers.length === 0) return [...this.index.labelValues(name)];
    const values = new Set<string>();
    for (const labels of await this.seriesLabels(matchers)) {
      const v = labels.find((l) => l.name === name)?.value;
      if (v !== undefined) values.add(v);
    }
    return [...values].sort(compareUtf8);
  }

  /** Every series with every chunk, in index order (for compaction and tests). */
  async readAll(): Promise<{ ref: number; labels: Label[]; chunks: BlockChunk[] }[]> {
    const entries = await this.index.series(await this.index.allPostings());
    const chunks = await this.chunks.read(entries.flatMap((e) => e.chunks));
    let k = 0;
    return entries.map((e) => {
      const c = chunks.slice(k, k + e.chunks.length);
      k += e.chunks.length;
      return { ref: e.ref, labels: e.labels, chunks: c };
    });
  }
}
