import type { Label } from "./model";

/** Sorts a parsed label set by name in place; returns the first repeated name, or null. */
export function sortLabelsFindDuplicate(labels: Label[]): string | null {
  let sorted = true;
  for (let i = 1; i < labels.length; i++) {
    if (labels[i - 1].name >= labels[i].name) {
      sorted = false;
      break;
    }
  }
  if (sorted) return null;
  // Insertion sort: label sets are short and nearly sorted (often only `le` or `quantile` out of place).
  for (let i = 1; i < labels.length; i++) {
    const label = labels[i];
    let j = i - 1;
    while (j >= 0 && labels[j].name > label.name) {
      labels[j + 1] = labels[j];
      j--;
    }
    labels[j + 1] = label;
  }
  for (let i = 1; i < labels.length; i++) if (labels[i - 1].name === labels[i].name) return labels[i].name;
  return null;
}

/** A key identifying a label set without the given names (le / quantile), for grouping a family's samples. */
export function groupKey(labels: readonly Label[], without1: string, without2: string): string {
  let key = "";
  for (const l of labels) {
    if (l.name === without1 || l.name === without2) continue;
    key += l.name + "\u0000" + l.value + "\u0001";
  }
  return key;
}
