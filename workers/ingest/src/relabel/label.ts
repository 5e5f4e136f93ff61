import type { Label } from "@edgeprom/tsdb";

/** A label pair; a label set is `readonly Label[]` sorted by name with unique names (the shared contract). */
export type { Label };

/** Prometheus's metric name label. */
export const METRIC_NAME_LABEL = "__name__";

/** Orders labels by name, by UTF-16 code units: how ingest sorts every label set it builds. */
export function compareLabelNames(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
