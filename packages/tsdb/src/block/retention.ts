import type { BlockStore } from "./block-store";
import { DEFAULT_RETENTION_MS } from "./compaction";
import type { BlockMeta } from "./meta";

export interface RetentionOptions {
  /** Keep blocks holding data newer than this many ms before `now` (default 15 days, as Prometheus). */
  readonly retention?: number;
  readonly now?: number;
}

/**
 * Time-based retention: deletes whole blocks whose every sample is older than `now - retention` (their maxTime,
 * exclusive, is at or before the boundary). A block straddling the boundary stays until all of it has expired,
 * as in Prometheus.
 */
export async function applyRetention(store: BlockStore, options: RetentionOptions = {}): Promise<BlockMeta[]> {
  const boundary = (options.now ?? Date.now()) - (options.retention ?? DEFAULT_RETENTION_MS);
  const expired = (await store.catalog()).blocks.filter((b) => b.meta.maxTime <= boundary).map((b) => b.meta);
  await store.remove(expired.map((m) => m.ulid));
  return expired;
}
