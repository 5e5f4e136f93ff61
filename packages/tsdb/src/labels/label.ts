/** One label: a name and a value. Shared shape across packages (see the project's common data shapes). */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** A label set: sorted by name (UTF-16 code unit order, which equals Go's byte order for valid strings), unique names. */
export type Labels = readonly Label[];

/** The label that holds the metric name. */
export const METRIC_NAME_LABEL = "__name__";

/** Compares two strings the way Go compares them byte-wise (UTF-8), so sort order matches Prometheus. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      // UTF-16 order differs from UTF-8 order only between surrogates (U+10000 and up) and U+E000..U+FFFF.
      if (ca >= 0xd800 && cb >= 0xd800) return utf8Rank(ca) - utf8Rank(cb);
      return ca - cb;
    }
  }
  return a.length - b.length;
}

function utf8Rank(code: number): number {
  if (code >= 0xd800 && code <= 0xdfff) return code + 0x2000; // surrogates encode code points above U+FFFF
  if (code >= 0xe000) return code - 0x800;
  return code;
}

/** Builds a sorted label set from `{ name: value }`, dropping empty values ("label absent"). */
export function labelsFromRecord(record: Readonly<Record<string, string>>): Labels {
  const out: Label[] = [];
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value !== "") out.push({ name, value });
  }
  return sortLabels(out);
}

/** Builds a sorted label set from alternating names and values: `labelsOf("__name__", "up", "job", "x")`. */
export function labelsOf(...namesAndValues: string[]): Labels {
  if (namesAndValues.length % 2 !== 0) throw new RangeError("labelsOf needs an even number of strings");
  const out: Label[] = [];
  for (let i = 0; i < namesAndValues.length; i += 2) {
    if (namesAndValues[i + 1] !== "") out.push({ name: namesAndValues[i], value: namesAndValues[i + 1] });
  }
  return sortLabels(out);
}

/** Returns the labels sorted by name (a new array; the input is not changed). Duplicates are kept: see validation. */
export function sortLabels(labels: readonly Label[]): Label[] {
  const out = labels.slice();
  if (!isSorted(out)) out.sort(byName);
  return out;
}

/** Orders labels by name. Module-level on purpose: a closure per call costs a defineProperty under esbuild keepNames. */
export function byName(a: Label, b: Label): number {
  return compareStrings(a.name, b.name);
}

function isSorted(labels: readonly Label[]): boolean {
  for (let i = 1; i < labels.length; i++) if (compareStrings(labels[i - 1].name, labels[i].name) > 0) return false;
  return true;
}

/** The value of label `name`, or "" when absent (Prometheus's `Labels.Get`). */
export function getLabel(labels: Labels, name: string): string {
  for (const label of labels) if (label.name === name) return label.value;
  return "";
}

/** The metric name, or "" when the series has none. */
export function metricName(labels: Labels): string {
  return getLabel(labels, METRIC_NAME_LABEL);
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name !== b[i].name || a[i].value !== b[i].value) return false;
  }
  return true;
}

/** Orders label sets as Prometheus's `labels.Compare`: label by label, name then value, shorter set first on a tie. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const byName = compareStrings(a[i].name, b[i].name);
    if (byName !== 0) return byName;
    const byValue = compareStrings(a[i].value, b[i].value);
    if (byValue !== 0) return byValue;
  }
  return a.length - b.length;
}

/** A copy without the named labels (e.g. `__name__` for PromQL functions that drop it). */
export function withoutLabels(labels: Labels, ...names: string[]): Labels {
  return labels.filter((label) => !names.includes(label.name));
}

/** A copy with one label set (or removed when `value` is ""), keeping the order. */
export function withLabel(labels: Labels, name: string, value: string): Labels {
  const out: Label[] = [];
  let placed = value === "";
  for (const label of labels) {
    if (label.name === name) continue;
    if (!placed && compareStrings(name, label.name) < 0) {
      out.push({ name, value });
      placed = true;
    }
    out.push(label);
  }
  if (!placed) out.push({ name, value });
  return out;
}
