import { bytesEqual } from "./bytes-equal";
import type { BlockChunk, BlockSeries } from "./chunk";
import type { ChunkRewriter } from "./chunk-rewriter";
import { InvalidBlockInputError } from "./errors";
import { labelSetKey, type LabelSet } from "./labels";
import { coversRange, overlapsRange, type Interval } from "./tombstones";

/** A series' chunks from one source, with the intervals that source deleted. */
export interface SeriesPart {
  readonly labels: LabelSet;
  readonly chunks: readonly BlockChunk[];
  readonly deleted?: readonly Interval[];
}

/**
 * Groups parts of the same series (by label set), orders their chunks by time, drops chunks that deletions cover
 * entirely, and hands chunks that deletions cut through or that overlap one another to the rewriter. Untouched
 * chunks keep their bytes. Without a rewriter, input that needs one is an error.
 */
export function mergeSeriesParts(parts: Iterable<SeriesPart>, rewriter?: ChunkRewriter): BlockSeries[] {
  const grouped = new Map<string, { labels: LabelSet; chunks: BlockChunk[]; deleted: Interval[] }>();
  for (const part of parts) {
    const key = labelSetKey(part.labels);
    let group = grouped.get(key);
    if (group === undefined) grouped.set(key, (group = { labels: part.labels, chunks: [], deleted: [] }));
    const deleted = part.deleted ?? [];
    // A part's deletions apply to its own chunks only: data from another source was not deleted there.
    for (const c of part.chunks) {
      if (coversRange(deleted, c.mint, c.maxt)) continue;
      const cut = deleted.filter((d) => overlapsRange([d], c.mint, c.maxt));
      if (cut.length === 0) group.chunks.push(c);
      else {
        if (rewriter === undefined)
          throw new InvalidBlockInputError("deleted samples inside a chunk need a ChunkRewriter");
        group.chunks.push(...rewriter([c], cut));
      }
    }
  }
  const out: BlockSeries[] = [];
  for (const group of grouped.values()) {
    const chunks = group.chunks.sort((a, b) => a.mint - b.mint || a.maxt - b.maxt);
    out.push({ labels: group.labels, chunks: resolveOverlaps(chunks, rewriter) });
  }
  return out.filter((s) => s.chunks.length > 0);
}

/** Runs of chunks that overlap in time are re-encoded together; the rest are kept as they are. */
function resolveOverlaps(sorted: readonly BlockChunk[], rewriter?: ChunkRewriter): BlockChunk[] {
  sorted = dropDuplicates(sorted);
  const out: BlockChunk[] = [];
  let run: BlockChunk[] = [];
  let runMax = Number.NEGATIVE_INFINITY;
  const flush = (): void => {
    if (run.length === 1) out.push(run[0]);
    else if (run.length > 1) {
      if (rewriter === undefined) throw new InvalidBlockInputError("overlapping chunks need a ChunkRewriter to merge");
      out.push(...rewriter(run, []));
    }
    run = [];
    runMax = Number.NEGATIVE_INFINITY;
  };
  for (const c of sorted) {
    if (c.mint > runMax) flush();
    run.push(c);
    runMax = Math.max(runMax, c.maxt);
  }
  flush();
  return out;
}

/** The same chunk twice (an upload retried after a crash) is one chunk; no decoding needed to see that. */
function dropDuplicates(sorted: readonly BlockChunk[]): BlockChunk[] {
  const out: BlockChunk[] = [];
  for (const c of sorted) {
    const duplicate = out.some(
      (o) => o.mint === c.mint && o.maxt === c.maxt && o.encoding === c.encoding && bytesEqual(o.data, c.data),
    );
    if (!duplicate) out.push(c);
  }
  return out;
}
