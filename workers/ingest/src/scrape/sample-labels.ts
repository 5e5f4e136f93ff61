import { LabelBuilder, relabel, type Label, type RelabelRule } from "../relabel";

export const EXPORTED_LABEL_PREFIX = "exported_";

/**
 * Attaches the target's labels to a scraped series (Prometheus's mutateSampleLabels without the relabeling step).
 * With `honor_labels`, the scraped value wins a conflict; without it the target's value wins and the scraped one is
 * kept as `exported_<name>` (or `exported_exported_<name>`, ... until the name is free).
 */
export function attachTargetLabels(
  sampleLabels: readonly Label[],
  targetLabels: readonly Label[],
  honorLabels: boolean,
): Label[] {
  const merged = mergeDisjoint(sampleLabels, targetLabels);
  if (merged) return merged;
  const builder = new LabelBuilder(sampleLabels);
  const valueOf = (name: string) => sampleLabels.find((label) => label.name === name)?.value ?? "";
  if (honorLabels) {
    for (const label of targetLabels) {
      if (valueOf(label.name) === "") builder.set(label.name, label.value);
    }
    return builder.labels();
  }
  const conflicts: Label[] = [];
  for (const label of targetLabels) {
    const exposed = valueOf(label.name);
    if (exposed !== "") conflicts.push({ name: label.name, value: exposed });
    builder.set(label.name, label.value);
  }
  // Shorter names first, so that `exported_a` from a conflict on `a` cannot be taken by a longer one.
  conflicts.sort((a, b) => a.name.length - b.name.length);
  for (const conflict of conflicts) {
    let name = conflict.name;
    for (;;) {
      name = EXPORTED_LABEL_PREFIX + name;
      if (builder.get(name) === "") {
        builder.set(name, conflict.value);
        break;
      }
    }
  }
  return builder.labels();
}

/** Merges two label sets into one sorted set, or returns null when a name is in both (a conflict to resolve). */
function mergeDisjoint(a: readonly Label[], b: readonly Label[]): Label[] | null {
  const out: Label[] = new Array<Label>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x.name === y.name) return null;
    if (x.name < y.name) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/**
 * The labels of a scraped series as stored: target labels attached, then `metric_relabel_configs`. Null when
 * metric relabeling dropped the series.
 */
export function sampleLabels(
  exposed: readonly Label[],
  targetLabels: readonly Label[],
  honorLabels: boolean,
  metricRelabelConfigs: readonly RelabelRule[],
): Label[] | null {
  const attached = attachTargetLabels(exposed, targetLabels, honorLabels);
  return metricRelabelConfigs.length > 0 ? relabel(attached, metricRelabelConfigs) : attached;
}

/** Per-sample label limits (0 = no limit); lengths are in UTF-8 bytes. */
export interface LabelLimits {
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// Go's %.50s / %.50q truncate to 50 characters.
const clip = (text: string) => [...text].slice(0, 50).join("");

/** Checks a stored label set against the limits; returns Prometheus's error message for the first violation. */
export function checkLabelLimits(labels: readonly Label[], limits: LabelLimits): string | undefined {
  if (limits.labelLimit === 0 && limits.labelNameLengthLimit === 0 && limits.labelValueLengthLimit === 0)
    return undefined;
  const metricOf = () => clip(labels.find((label) => label.name === "__name__")?.value ?? "");
  if (limits.labelLimit > 0 && labels.length > limits.labelLimit) {
    const metric = metricOf();
    return `label_limit exceeded (metric: ${metric}, number of labels: ${labels.length}, limit: ${limits.labelLimit})`;
  }
  for (const label of labels) {
    // A string of n UTF-16 units is at most 3n UTF-8 bytes, so short ones need no counting.
    if (limits.labelNameLengthLimit > 0 && label.name.length * 3 > limits.labelNameLengthLimit) {
      const length = utf8Length(label.name);
      if (length > limits.labelNameLengthLimit) {
        const metric = metricOf();
        return `label_name_length_limit exceeded (metric: ${metric}, label name: ${clip(label.name)}, length: ${length}, limit: ${limits.labelNameLengthLimit})`;
      }
    }
    if (limits.labelValueLengthLimit > 0 && label.value.length * 3 > limits.labelValueLengthLimit) {
      const length = utf8Length(label.value);
      if (length > limits.labelValueLengthLimit) {
        const metric = metricOf();
        return `label_value_length_limit exceeded (metric: ${metric}, label name: ${clip(label.name)}, value: ${JSON.stringify(clip(label.value))}, length: ${length}, limit: ${limits.labelValueLengthLimit})`;
      }
    }
  }
  return undefined;
}
