/** A label pair; a label set is `readonly Label[]` sorted by name with unique names (the shared contract). */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** Prometheus's metric name label. */
export const METRIC_NAME_LABEL = "__name__";
