import type { Label } from "./model";

/**
 * Brings a decoded label set into the project's shape, or says why it cannot be stored. Labels with an empty
 * value are dropped (in Prometheus an empty value means the label is absent); unsorted sets are sorted (the spec
 * says senders MUST sort, but sorting costs us nothing when they did and rescues senders that don't); empty names,
 * repeated names and a missing metric name are errors, as the remote-write specs and the compliance suite demand.
 * Names are not checked against the legacy character set: remote write 2.0 allows any UTF-8.
 */
export function normalizeSeriesLabels(labels: Label[]): { labels: Label[]; problem: string | null } {
  // Fast path, one pass: what well-behaved senders send (strictly increasing names, no empty values or names).
  let clean = labels.length > 0 && labels[0].name !== "" && labels[0].value !== "";
  let hasName = false;
  for (let i = 0; clean && i < labels.length; i++) {
    const l = labels[i];
    if (l.value === "" || (i > 0 && !(labels[i - 1].name < l.name))) clean = false;
    else if (l.name === "__name__") hasName = true;
  }
  if (clean && hasName) return { labels, problem: null };
  let out = labels.some((l) => l.value === "") ? labels.filter((l) => l.value !== "") : labels;
  let sorted = true;
  for (let i = 1; i < out.length; i++) if (out[i - 1].name > out[i].name) sorted = false;
  if (!sorted) {
    if (out === labels) out = out.slice();
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return { labels: out, problem: labelSetProblem(out, true) };
}

/** The reason a sorted label set is invalid, or null. Exemplar label sets may lack a metric name. */
export function labelSetProblem(labels: readonly Label[], needsName: boolean): string | null {
  let hasName = false;
  for (let i = 0; i < labels.length; i++) {
    const name = labels[i].name;
    if (name === "") return "empty label name";
    if (i > 0 && labels[i - 1].name === name) return `duplicate label name ${JSON.stringify(name)}`;
    if (name === "__name__") hasName = true;
  }
  if (!needsName) return null;
  if (labels.length === 0) return "empty label set";
  return hasName ? null : "series without metric name (__name__ label)";
}

/** Exemplar labels: sorted copy without empty values; OpenMetrics caps their total length, storage does not. */
export function normalizeExemplarLabels(labels: Label[]): { labels: Label[]; problem: string | null } {
  const { labels: out } = normalizeSeriesLabels(labels);
  return { labels: out, problem: labelSetProblem(out, false) };
}
