import type { StoredExemplar } from "@edgeprom/tsdb";
import type { DecodedSeriesColumns } from "./samples";

/** Sends a request's exemplars to the exemplar store: one call, only when the request carried any. */
export async function recordExemplars(env: Env, columns: DecodedSeriesColumns): Promise<void> {
  const exemplars: StoredExemplar[] = [];
  for (const s of columns.series) {
    for (const e of s.exemplars) {
      exemplars.push({ seriesLabels: s.labels, labels: e.labels, value: e.value, timestamp: e.timestamp });
    }
  }
  if (exemplars.length === 0) return;
  await env.EXEMPLARS.get(env.EXEMPLARS.idFromName("default")).append(exemplars);
}
