import { compareStrings, type Label, type Labels } from "../labels/label";
import type { CompiledMatcher } from "./matcher";
import { intersectPostings, mergePostings, withoutPostings, type Postings } from "./postings";
import { PostingsList } from "./postings-list";

/** One entry of a top-N cardinality list, as `/api/v1/status/tsdb` shows it. */
export interface CardinalityStat {
  name: string;
  value: number;
}

/** The index part of Prometheus's TSDB status. */
export interface PostingsStats {
  numLabelPairs: number;
  seriesCountByMetricName: CardinalityStat[];
  labelValueCountByLabelName: CardinalityStat[];
  memoryInBytesByLabelName: CardinalityStat[];
  seriesCountByLabelValuePair: CardinalityStat[];
}

/** Most series whose labels `select` tests directly rather than building postings for its other matchers. */
const FILTER_CANDIDATES = 256;

function valueOf(labels: Labels, name: string): string {
  for (let i = 0; i < labels.length; i++) if (labels[i].name === name) return labels[i].value;
  return "";
}

/**
 * The in-memory inverted index of one shard: label name → label value → ascending series ids. It is rebuilt from the
 * persisted series definitions at start-up (see docs/tsdb-shard.md), so it never has to be written row by row.
 */
export class MemPostings {
  readonly #byName = new Map<string, Map<string, PostingsList>>();
  readonly #all = new PostingsList({ name: "", value: "" }, 1024);

  get seriesCount(): number {
    return this.#all.length;
  }

  /**
   * Indexes a series and returns its labels made of the index's shared label objects, so a series costs one
   * pointer per label rather than its own copies of names and values.
   */
  add(id: number, labels: Labels): Label[] {
    this.#all.add(id);
    const shared = new Array<Label>(labels.length);
    for (let i = 0; i < labels.length; i++) {
      const { name, value } = labels[i];
      let values = this.#byName.get(name);
      if (!values) {
        values = new Map();
        this.#byName.set(name, values);
      }
      let list = values.get(value);
      if (!list) {
        const internedName = values.size > 0 ? values.values().next().value!.label.name : name;
        list = new PostingsList({ name: internedName, value });
        values.set(value, list);
      }
      list.add(id);
      shared[i] = list.label;
    }
    return shared;
  }

  /** Removes series; `labelsOf` gives each removed id's labels so only the lists that hold it are touched. */
  remove(ids: ReadonlySet<number>, labelsOf: (id: number) => Labels): void {
    const touched = new Map<string, Set<string>>();
    for (const id of ids) {
      for (const { name, value } of labelsOf(id)) {
        let values = touched.get(name);
        if (!values) touched.set(name, (values = new Set()));
        values.add(value);
      }
    }
    const drop = (id: number) => ids.has(id);
    this.#all.removeWhere(drop);
    for (const [name, names] of touched) {
      const values = this.#byName.get(name);
      if (!values) continue;
      for (const value of names) {
        const list = values.get(value);
        if (!list) continue;
        list.removeWhere(drop);
        if (list.length === 0) values.delete(value);
      }
      if (values.size === 0) this.#byName.delete(name);
    }
  }

  /** Every series id, ascending. */
  all(): Postings {
    return this.#all.view();
  }

  /** Series with label `name` = `value`. */
  get(name: string, value: string): Postings {
    return this.#byName.get(name)?.get(value)?.view() ?? EMPTY;
  }

  /**
   * The ids of series matching every matcher, ascending. A matcher that matches the empty string also matches series
   * without the label (Prometheus semantics), so it is applied by removing the series whose value it rejects.
   */
  select(matchers: readonly CompiledMatcher[], labelsOf?: (id: number) => Labels | undefined): number[] {
    if (matchers.length === 0) return [];
    // Equality matchers first: their lists are the cheapest to get and usually the most selective.
    const equal: Postings[] = [];
    const rest: CompiledMatcher[] = [];
    for (const m of matchers) {
      if (m.type === "=" && !m.matchesEmpty) equal.push(this.get(m.name, m.value));
      else rest.push(m);
    }
    const candidates = equal.length > 0 ? intersectPostings(equal) : null;
    if (candidates !== null && (candidates.length === 0 || rest.length === 0)) return candidates;
    // Few candidates: test the other matchers on those series' own labels instead of unioning the postings of every
    // value they accept (a regex over `instance` tested every instance value and merged their lists in every shard,
    // only to intersect the result with one metric's few series). Same answer: an absent label tests as "".
    if (candidates !== null && labelsOf !== undefined && candidates.length <= FILTER_CANDIDATES) {
      return candidates.filter((id) => {
        const labels = labelsOf(id);
        return labels !== undefined && rest.every((m) => m.matches(valueOf(labels, m.name)));
      });
    }
    const include: Postings[] = candidates !== null ? [candidates] : [];
    const exclude: Postings[] = [];
    if (candidates === null && rest.every((m) => m.matchesEmpty)) include.push(this.#all.view());
    for (const m of rest) {
      if (!m.matchesEmpty) {
        const list = this.#union(m.name, (v) => m.matches(v));
        if (list.length === 0) return [];
        include.push(list);
      } else if (!(m.type === "=~" && m.value === ".*")) {
        exclude.push(this.#union(m.name, (v) => !m.matches(v)));
      }
    }
    const matched = intersectPostings(include);
    return exclude.length === 0 ? matched : withoutPostings(matched, mergePostings(exclude));
  }

  #union(name: string, accept: (value: string) => boolean): Postings {
    const values = this.#byName.get(name);
    if (!values) return EMPTY;
    const lists: Postings[] = [];
    for (const [value, list] of values) if (accept(value)) lists.push(list.view());
    return mergePostings(lists);
  }

  /** Label names present in at least one series, sorted. */
  labelNames(): string[] {
    return [...this.#byName.keys()].sort(compareStrings);
  }

  /** Values of label `name` present in at least one series, sorted. */
  labelValues(name: string): string[] {
    const values = this.#byName.get(name);
    return values ? [...values.keys()].sort(compareStrings) : [];
  }

  /** Cardinality figures as Prometheus's `PostingsStats`, each list the `limit` largest. */
  stats(limit: number, metricNameLabel = "__name__"): PostingsStats {
    const byMetric: CardinalityStat[] = [];
    const valueCounts: CardinalityStat[] = [];
    const memory: CardinalityStat[] = [];
    const pairs: CardinalityStat[] = [];
    let numLabelPairs = 0;
    for (const [name, values] of this.#byName) {
      let bytes = 0;
      for (const [value, list] of values) {
        numLabelPairs++;
        bytes += utf8Length(value);
        pairs.push({ name: `${name}=${value}`, value: list.length });
        if (name === metricNameLabel) byMetric.push({ name: value, value: list.length });
      }
      valueCounts.push({ name, value: values.size });
      memory.push({ name, value: bytes });
    }
    return {
      numLabelPairs,
      seriesCountByMetricName: topN(byMetric, limit),
      labelValueCountByLabelName: topN(valueCounts, limit),
      memoryInBytesByLabelName: topN(memory, limit),
      seriesCountByLabelValuePair: topN(pairs, limit),
    };
  }
}

const EMPTY: Postings = new Uint32Array(0);

export function topN(stats: CardinalityStat[], limit: number): CardinalityStat[] {
  return stats.sort((a, b) => b.value - a.value || compareStrings(a.name, b.name)).slice(0, Math.max(0, limit));
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
