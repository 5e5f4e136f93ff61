import { BlockFormatError } from "./errors";

/** `meta.json` of a block, field for field as Prometheus's `tsdb.BlockMeta` (version 1). */
export interface BlockMeta {
  readonly ulid: string;
  /** First sample time, ms (inclusive). */
  readonly minTime: number;
  /** End of the block's range, ms (exclusive), as Prometheus. */
  readonly maxTime: number;
  readonly stats: BlockStats;
  readonly compaction: BlockCompaction;
  readonly version: 1;
}

export interface BlockStats {
  readonly numSamples: number;
  readonly numSeries: number;
  readonly numChunks: number;
  readonly numTombstones?: number;
}

export interface BlockCompaction {
  readonly level: number;
  /** ULIDs of the level-1 blocks this block's data came from (itself for a new block). */
  readonly sources: readonly string[];
  readonly deletable?: boolean;
  readonly parents?: readonly { readonly ulid: string; readonly minTime: number; readonly maxTime: number }[];
}

/**
 * Serialises as Go's `json.MarshalIndent(meta, "", "\t")` does (same key order, tab indent, omitted empty optional
 * fields, no trailing newline), so our meta.json is byte-identical to one Prometheus writes for the same block.
 */
export function encodeMetaJson(meta: BlockMeta): string {
  const stats: Record<string, number> = {
    numSamples: meta.stats.numSamples,
    numSeries: meta.stats.numSeries,
    numChunks: meta.stats.numChunks,
  };
  if (meta.stats.numTombstones) stats.numTombstones = meta.stats.numTombstones;
  const compaction: Record<string, unknown> = { level: meta.compaction.level, sources: meta.compaction.sources };
  if (meta.compaction.deletable) compaction.deletable = true;
  if (meta.compaction.parents?.length) {
    compaction.parents = meta.compaction.parents.map((p) => ({ ulid: p.ulid, minTime: p.minTime, maxTime: p.maxTime }));
  }
  const ordered = {
    ulid: meta.ulid,
    minTime: meta.minTime,
    maxTime: meta.maxTime,
    stats,
    compaction,
    version: meta.version,
  };
  return JSON.stringify(ordered, null, "\t");
}

export function decodeMetaJson(text: string): BlockMeta {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new BlockFormatError(`meta.json: ${(err as Error).message}`);
  }
  if (!isRecord(parsed)) throw new BlockFormatError("meta.json: not an object");
  const { ulid, minTime, maxTime, stats, compaction, version } = parsed;
  if (typeof ulid !== "string" || typeof minTime !== "number" || typeof maxTime !== "number") {
    throw new BlockFormatError("meta.json: ulid, minTime and maxTime are required");
  }
  if (version !== 1) throw new BlockFormatError(`meta.json: unsupported version ${String(version)}`);
  if (!isRecord(stats) || !isRecord(compaction)) throw new BlockFormatError("meta.json: stats and compaction");
  const num = (v: unknown): number => (typeof v === "number" ? v : 0);
  const sources = Array.isArray(compaction.sources) ? compaction.sources.filter((s) => typeof s === "string") : [];
  const parents = Array.isArray(compaction.parents)
    ? compaction.parents.filter(isRecord).map((p) => ({
        ulid: String(p.ulid),
        minTime: num(p.minTime),
        maxTime: num(p.maxTime),
      }))
    : undefined;
  return {
    ulid,
    minTime,
    maxTime,
    stats: {
      numSamples: num(stats.numSamples),
      numSeries: num(stats.numSeries),
      numChunks: num(stats.numChunks),
      ...(stats.numTombstones ? { numTombstones: num(stats.numTombstones) } : {}),
    },
    compaction: {
      level: num(compaction.level),
      sources,
      ...(compaction.deletable === true ? { deletable: true } : {}),
      ...(parents ? { parents } : {}),
    },
    version: 1,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
