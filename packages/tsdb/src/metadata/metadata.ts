/** Prometheus's metric metadata: what `/api/v1/metadata` lists for a metric family. */
export interface MetricMetadataEntry {
  metric: string;
  type: string;
  help: string;
  unit: string;
}

export interface MetadataQuery {
  /** Only this metric family; all when absent. */
  metric?: string;
  /** At most this many metric families; 0 or absent for all. */
  limit?: number;
  /** At most this many entries per metric family; 0 or absent for all. */
  limitPerMetric?: number;
}

/** `/api/v1/metadata`'s data: metric family → its distinct metadata, sorted by family name. */
export type MetadataByMetric = Record<string, { type: string; help: string; unit: string }[]>;

/** The identity of one metadata entry; an entry changes when any field does. */
export function metadataKey(e: MetricMetadataEntry): string {
  return `${e.metric}\u0000${e.type}\u0000${e.help}\u0000${e.unit}`;
}

/** Groups entries by metric with the query's limits applied; `entries` must be sorted by metric. */
export function groupMetadata(entries: readonly MetricMetadataEntry[], query: MetadataQuery): MetadataByMetric {
  const out: MetadataByMetric = {};
  let families = 0;
  for (const e of entries) {
    if (query.metric !== undefined && query.metric !== "" && e.metric !== query.metric) continue;
    let list = out[e.metric];
    if (!list) {
      if (query.limit && families >= query.limit) break;
      list = out[e.metric] = [];
      families++;
    }
    if (query.limitPerMetric && list.length >= query.limitPerMetric) continue;
    list.push({ type: e.type, help: e.help, unit: e.unit });
  }
  return out;
}

/**
 * Remembers what this isolate already sent to the metadata store, so ingest calls the store only when metadata is
 * new or due for a refresh of its last-seen time: one RPC per change, not per request.
 */
export class MetadataSendCache {
  readonly #sentAt = new Map<string, number>();

  constructor(
    private readonly refreshMs = 3_600_000,
    private readonly maxEntries = 50_000,
  ) {}

  /** The entries that need sending now; they are marked sent. */
  due(entries: readonly MetricMetadataEntry[], nowMs: number): MetricMetadataEntry[] {
    const out: MetricMetadataEntry[] = [];
    for (const e of entries) {
      const key = metadataKey(e);
      const sent = this.#sentAt.get(key);
      if (sent !== undefined && nowMs - sent < this.refreshMs) continue;
      if (this.#sentAt.size >= this.maxEntries) this.#sentAt.clear();
      this.#sentAt.set(key, nowMs);
      out.push(e);
    }
    return out;
  }
}
