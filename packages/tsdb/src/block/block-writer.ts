import { chunkSampleCount, type BlockSeries } from "./chunk";
import { ChunksWriter, DEFAULT_SEGMENT_SIZE, segmentFileName } from "./chunks-writer";
import { InvalidBlockInputError } from "./errors";
import { writeIndex, type IndexChunkMeta, type IndexSeries } from "./index-writer";
import { compareLabelSets } from "./labels";
import { encodeMetaJson, type BlockCompaction, type BlockMeta } from "./meta";
import { encodeTombstones } from "./tombstones";
import { newUlid } from "./ulid";

/** One file of a block, named relative to the block's directory (`index`, `chunks/000001`, ...). */
export interface BlockFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface WrittenBlock {
  readonly meta: BlockMeta;
  /** meta.json, index, chunks/000001..., tombstones. */
  readonly files: readonly BlockFile[];
}

export interface WriteBlockOptions {
  ulid?: string;
  /** Defaults to the first sample's time. */
  minTime?: number;
  /** Exclusive; defaults to the last sample's time + 1. */
  maxTime?: number;
  /** Defaults to a level-1 block that is its own source. */
  compaction?: BlockCompaction;
  segmentSize?: number;
}

const textEncoder = new TextEncoder();

/**
 * Builds a complete Prometheus TSDB block in memory from series and their encoded chunks. Series may come in any
 * order (they are sorted by label set here); series without chunks are left out, as Prometheus's compactor does.
 */
export function writeBlock(input: Iterable<BlockSeries>, options: WriteBlockOptions = {}): WrittenBlock {
  const series = [...input].filter((s) => s.chunks.length > 0).sort((a, b) => compareLabelSets(a.labels, b.labels));
  if (series.length === 0 && (options.minTime === undefined || options.maxTime === undefined)) {
    throw new InvalidBlockInputError("an empty block needs minTime and maxTime");
  }

  const chunks = new ChunksWriter(options.segmentSize ?? DEFAULT_SEGMENT_SIZE);
  const indexSeries: IndexSeries[] = [];
  let numSamples = 0;
  let numChunks = 0;
  let minTime = Number.POSITIVE_INFINITY;
  let maxTime = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    const metas: IndexChunkMeta[] = [];
    for (const c of s.chunks) {
      metas.push({ mint: c.mint, maxt: c.maxt, ref: chunks.add(c) });
      numSamples += chunkSampleCount(c);
      numChunks++;
      if (c.mint < minTime) minTime = c.mint;
      if (c.maxt > maxTime) maxTime = c.maxt;
    }
    indexSeries.push({ labels: s.labels, chunks: metas });
  }
  const index = writeIndex(indexSeries);
  const segments = chunks.finish();

  const ulid = options.ulid ?? newUlid();
  const meta: BlockMeta = {
    ulid,
    minTime: options.minTime ?? minTime,
    maxTime: options.maxTime ?? maxTime + 1,
    stats: { numSamples, numSeries: series.length, numChunks },
    compaction: options.compaction ?? { level: 1, sources: [ulid] },
    version: 1,
  };
  if (meta.minTime > minTime || meta.maxTime <= maxTime) {
    throw new InvalidBlockInputError(`samples in [${minTime}, ${maxTime}] outside [${meta.minTime}, ${meta.maxTime})`);
  }
  return {
    meta,
    files: [
      { name: "meta.json", bytes: textEncoder.encode(encodeMetaJson(meta)) },
      { name: "index", bytes: index.bytes },
      ...segments.map((bytes, i) => ({ name: segmentFileName(i), bytes })),
      { name: "tombstones", bytes: encodeTombstones(new Map()) },
    ],
  };
}
