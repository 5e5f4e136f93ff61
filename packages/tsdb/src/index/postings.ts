// Operations over postings: ascending, duplicate-free lists of series ids. Inputs are never modified.

export type Postings = ArrayLike<number>;

/** Ids present in every list. Shortest lists first keeps the work proportional to the smallest list. */
export function intersectPostings(lists: readonly Postings[]): number[] {
  if (lists.length === 0) return [];
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let result = Array.from(sorted[0]);
  for (let i = 1; i < sorted.length && result.length > 0; i++) result = intersectTwo(result, sorted[i]);
  return result;
}

function intersectTwo(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const id = a[i];
    if (b.length > 8 * a.length) {
      j = lowerBound(b, id, j);
    } else {
      while (j < b.length && b[j] < id) j++;
    }
    if (j < b.length && b[j] === id) out.push(id);
  }
  return out;
}

/** Ids present in any list. */
export function mergePostings(lists: readonly Postings[]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return Array.from(lists[0]);
  // Pairwise merging keeps each step linear; the tree depth is log(lists).
  let level: Postings[] = [...lists];
  while (level.length > 1) {
    const next: Postings[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? mergeTwo(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return Array.from(level[0]);
}

function mergeTwo(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) out.push(a[i++]);
    else if (a[i] > b[j]) out.push(b[j++]);
    else {
      out.push(a[i]);
      i++;
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** Ids of `from` that are not in `drop`. */
export function withoutPostings(from: Postings, drop: Postings): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < from.length; i++) {
    const id = from[i];
    while (j < drop.length && drop[j] < id) j++;
    if (j >= drop.length || drop[j] !== id) out.push(id);
  }
  return out;
}

/** First index in `list` at or after `from` whose id is ≥ `id`. */
function lowerBound(list: Postings, id: number, from: number): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
