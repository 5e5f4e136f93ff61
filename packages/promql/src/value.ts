/** A label pair; a label set is `readonly Label[]` sorted by name with unique names. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

export type Labels = readonly Label[];

export interface LabelMatcher {
  readonly type: "=" | "!=" | "=~" | "!~";
  readonly name: string;
  readonly value: string;
}

export const METRIC_NAME = "__name__";

export { isStaleNaN, STALE_NAN } from "./stale-nan";

/** Compares two label sets the way Prometheus sorts them: pairwise by name then value; a prefix sorts first. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i].name !== b[i].name) return a[i].name < b[i].name ? -1 : 1;
    if (a[i].value !== b[i].value) return a[i].value < b[i].value ? -1 : 1;
  }
  return a.length - b.length;
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name !== b[i].name || a[i].value !== b[i].value) return false;
  }
  return true;
}

export function getLabel(labels: Labels, name: string): string {
  for (const l of labels) if (l.name === name) return l.value;
  return "";
}

/** Sorts and drops empty values, as Prometheus's label builder does. */
export function normalizeLabels(labels: Label[]): Label[] {
  const out = labels.filter((l) => l.value !== "");
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/** A string key that identifies a label set (names and values cannot contain \xff). */
export function labelsKey(labels: Labels): string {
  let s = "";
  for (const l of labels) s += l.name + "\xfe" + l.value + "\xff";
  return s;
}

export function formatLabels(labels: Labels): string {
  const name = getLabel(labels, METRIC_NAME);
  const rest = labels.filter((l) => l.name !== METRIC_NAME);
  const body = rest.map((l) => `${formatLabelName(l.name)}=${JSON.stringify(l.value)}`).join(", ");
  if (name !== "" && isLegacyName(name)) return `${name}{${body}}`;
  if (name !== "") return `{${JSON.stringify(name)}${body ? ", " + body : ""}}`;
  return `{${body}}`;
}

function isLegacyName(name: string): boolean {
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name);
}

function formatLabelName(name: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * Labels that go when a function or operator drops the metric name: `__name__` and, with Prometheus 3's type and
 * unit labels, `__type__` and `__unit__`, which describe the named metric.
 */
export function isNameLabel(name: string): boolean {
  return name === METRIC_NAME || name === "__type__" || name === "__unit__";
}

export function withoutNameLabels(labels: Labels): Labels {
  return labels.filter((l) => !isNameLabel(l.name));
}
