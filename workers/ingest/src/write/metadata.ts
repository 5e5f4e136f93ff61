import { MetadataSendCache, type MetricMetadataEntry } from "@edgeprom/tsdb";
import type { MetricMetadata } from "../remotewrite/index";

/** Per isolate: what was already sent, so the metadata store is called only for changes. */
const sendCache = new MetadataSendCache();

/** Sends new or changed metric metadata to the metadata store (one call, only when something changed). */
export async function recordMetadata(env: Env, metadata: readonly MetricMetadata[]): Promise<void> {
  const entries: MetricMetadataEntry[] = metadata
    .filter((m) => m.metricFamilyName !== "")
    .map((m) => ({ metric: m.metricFamilyName, type: m.type, help: m.help, unit: m.unit }));
  const due = sendCache.due(entries, Date.now());
  if (due.length === 0) return;
  await env.METRIC_METADATA.get(env.METRIC_METADATA.idFromName("default")).upsert(due);
}
