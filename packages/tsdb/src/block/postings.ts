/** Set operations on sorted, duplicate-free lists of series references (the postings lists of an index). */

export function intersectPostings(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let result = [...sorted[0]];
  for (let k = 1; k < sorted.length && result.length > 0; k++) {
    const other = sorted[k];
    const next: number[] = [];
    let j = 0;
    for (const ref of result) {
      while (j < other.length && other[j] < ref) j++;
      if (j === other.length) break;
      if (other[j] === ref) next.push(ref);
    }
    result = next;
  }
  return result;
}

export function unionPostings(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return [...lists[0]];
  const all: number[] = [];
  for (const list of lists) for (const ref of list) all.push(ref);
  all.sort((a, b) => a - b);
  const out: number[] = [];
  for (const ref of all) if (out.length === 0 || out[out.length - 1] !== ref) out.push(ref);
  return out;
}

/** `from` without the references in `remove`. */
export function subtractPostings(from: readonly number[], remove: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const ref of from) {
    while (j < remove.length && remove[j] < ref) j++;
    if (j < remove.length && remove[j] === ref) continue;
    out.push(ref);
  }
  return out;
}
