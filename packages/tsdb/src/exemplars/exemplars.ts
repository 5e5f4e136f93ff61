import { compileMatchers, type LabelMatcher } from "../index/matcher";
import type { Labels } from "../labels/label";

/** One exemplar of a series: a sample with its own labels (usually a trace id) attached to a metric sample. */
export interface StoredExemplar {
  seriesLabels: Labels;
  labels: Labels;
  value: number;
  timestamp: number;
}

/** `/api/v1/query_exemplars`'s data: per series, its exemplars in time order. */
export interface ExemplarsBySeries {
  seriesLabels: Labels;
  exemplars: { labels: Labels; value: number; timestamp: number }[];
}

/**
 * Groups exemplars by series for the series matching any selector (each selector a list of matchers), as
 * Prometheus's exemplar query does; series in label order, exemplars in time order.
 */
export function selectExemplars(
  exemplars: readonly StoredExemplar[],
  selectors: readonly (readonly LabelMatcher[])[],
): ExemplarsBySeries[] {
  const compiled = selectors.map((s) => compileMatchers(s));
  const bySeries = new Map<string, ExemplarsBySeries>();
  for (const e of exemplars) {
    const ok = compiled.some((matchers) =>
      matchers.every((m) => m.matches(e.seriesLabels.find((l) => l.name === m.name)?.value ?? "")),
    );
    if (!ok) continue;
    const key = e.seriesLabels.map((l) => `${l.name}\u0000${l.value}`).join("\u0001");
    let entry = bySeries.get(key);
    if (!entry) bySeries.set(key, (entry = { seriesLabels: e.seriesLabels, exemplars: [] }));
    entry.exemplars.push({ labels: e.labels, value: e.value, timestamp: e.timestamp });
  }
  const out = [...bySeries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  for (const s of out) s.exemplars.sort((a, b) => a.timestamp - b.timestamp);
  return out;
}
