import { formatLabels } from "./format";
import { byName, METRIC_NAME_LABEL, type Label, type Labels } from "./label";
import { isValidUtf8String, utf8ByteLength } from "./utf8";

/** Limits on an ingested series. Lengths are UTF-8 bytes, as Prometheus counts them. */
export interface LabelLimits {
  /** Most labels per series, `__name__` included. */
  maxLabels: number;
  maxNameBytes: number;
  maxValueBytes: number;
}

/**
 * Defaults: generous enough for every exporter we know (node_exporter, kube-state-metrics, OTLP resource attributes
 * promoted to labels) while keeping one series' label set well under a SQLite row and a WAL record.
 */
export const DEFAULT_LABEL_LIMITS: Readonly<LabelLimits> = { maxLabels: 64, maxNameBytes: 1024, maxValueBytes: 4096 };

export type InvalidLabelsReason =
  | "empty-name"
  | "invalid-utf8-name"
  | "invalid-utf8-value"
  | "duplicate-name"
  | "missing-metric-name"
  | "too-many-labels"
  | "name-too-long"
  | "value-too-long";

/** A series whose labels Prometheus would reject. The message names the rule and prints the series. */
export class InvalidLabelsError extends Error {
  override readonly name = "InvalidLabelsError";
  /** The HTTP API error type a caller should answer with. */
  readonly errorType = "bad_data";

  constructor(
    readonly reason: InvalidLabelsReason,
    detail: string,
    /** The series as it was received (sorted, empty values dropped where that had already happened). */
    readonly labels: Labels,
  ) {
    super(`${detail} in series ${formatLabels(labels)}`);
  }
}

export interface ValidateLabelsOptions {
  limits?: Partial<LabelLimits>;
  /** Ingested series need `__name__` (default true); label sets from other places (e.g. external labels) do not. */
  requireMetricName?: boolean;
}

/**
 * Validates a series' labels as Prometheus 3 does on ingestion and returns the canonical label set: sorted by name,
 * empty values dropped (an empty value means the label is absent). Names and values must be valid UTF-8 (any
 * characters, Prometheus 3's UTF-8 names); names must be non-empty and unique; `__name__` is required.
 */
export function validateSeriesLabels(input: readonly Label[], options: ValidateLabelsOptions = {}): Labels {
  const limits = { ...DEFAULT_LABEL_LIMITS, ...options.limits };
  const labels: Label[] = [];
  for (const label of input) {
    if (label.value !== "") labels.push(label);
  }
  labels.sort(byName);

  if (labels.length > limits.maxLabels) {
    throw new InvalidLabelsError(
      "too-many-labels",
      `${labels.length} labels exceed the limit of ${limits.maxLabels}`,
      labels,
    );
  }
  let hasName = false;
  for (let i = 0; i < labels.length; i++) {
    const { name, value } = labels[i];
    if (name === "") throw new InvalidLabelsError("empty-name", "empty label name", labels);
    if (!isValidUtf8String(name)) {
      throw new InvalidLabelsError(
        "invalid-utf8-name",
        `label name ${JSON.stringify(name)} is not valid UTF-8`,
        labels,
      );
    }
    if (!isValidUtf8String(value)) {
      throw new InvalidLabelsError(
        "invalid-utf8-value",
        `value of label ${JSON.stringify(name)} is not valid UTF-8`,
        labels,
      );
    }
    if (i > 0 && labels[i - 1].name === name) {
      throw new InvalidLabelsError("duplicate-name", `duplicate label name ${JSON.stringify(name)}`, labels);
    }
    const nameBytes = utf8ByteLength(name);
    if (nameBytes > limits.maxNameBytes) {
      throw new InvalidLabelsError(
        "name-too-long",
        `label name of ${nameBytes} bytes exceeds the limit of ${limits.maxNameBytes}`,
        labels,
      );
    }
    const valueBytes = utf8ByteLength(value);
    if (valueBytes > limits.maxValueBytes) {
      throw new InvalidLabelsError(
        "value-too-long",
        `value of label ${JSON.stringify(name)} (${valueBytes} bytes) exceeds the limit of ${limits.maxValueBytes}`,
        labels,
      );
    }
    if (name === METRIC_NAME_LABEL) hasName = true;
  }
  if (!hasName && (options.requireMetricName ?? true)) {
    throw new InvalidLabelsError("missing-metric-name", "missing metric name (__name__ label)", labels);
  }
  return labels;
}
