import type { Label } from "@edgeprom/tsdb";
import type { MetricFamily } from "../expfmt/index";
import { compareLabelNames } from "../relabel";
import type { MetricType } from "../remotewrite/index";

/** One push group: the metrics last pushed under a grouping key, and when pushes to it last succeeded or failed. */
export interface PushGroup {
  key: Label[];
  families: MetricFamily[];
  /** Unix seconds of the last successful PUT/POST, 0 if none. */
  pushTimeSeconds: number;
  /** Unix seconds of the last failed PUT/POST, 0 if none. */
  pushFailureTimeSeconds: number;
}

/** One series the Pushgateway exposes, as Prometheus sees it when scraping with `honor_labels: true`. */
export interface ExposedSample {
  labels: Label[];
  value: number;
}

/** A push the Pushgateway refuses with 400; the group's `push_failure_time_seconds` records it. */
export class PushRejectedError extends Error {
  override readonly name = "PushRejectedError";
  readonly errorType = "bad_data";
}

export type PushMethod = "PUT" | "POST";

const PUSH_TIME = "push_time_seconds";
const PUSH_FAILURE_TIME = "push_failure_time_seconds";

/** The identity of a group, from its sorted grouping key. */
export function groupId(key: readonly Label[]): string {
  return key.map((l) => `${l.name}\u0000${l.value}`).join("\u0001");
}

/**
 * The Pushgateway's group semantics, free of storage: PUT replaces a group's metrics, POST replaces only the
 * families it pushes, DELETE drops the group. A push is checked against every other group as the Pushgateway does
 * (same-named metrics share one type, no two groups expose the same series, no client timestamps) and refused whole
 * when inconsistent.
 */
export class PushStore {
  readonly #groups = new Map<string, PushGroup>();

  constructor(groups: Iterable<PushGroup> = []) {
    for (const g of groups) this.#groups.set(groupId(g.key), g);
  }

  groups(): PushGroup[] {
    return [...this.#groups.values()];
  }

  get(key: readonly Label[]): PushGroup | undefined {
    return this.#groups.get(groupId(key));
  }

  /**
   * Applies a push and returns the group as it now is. On refusal the group (created if new) records the failure
   * time, and the error is rethrown for the caller to answer 400.
   */
  push(method: PushMethod, key: Label[], pushed: MetricFamily[], nowSeconds: number): PushGroup {
    const id = groupId(key);
    const existing = this.#groups.get(id);
    try {
      const families = method === "PUT" || !existing ? pushed : mergeFamilies(existing.families, pushed);
      this.#check(id, key, families);
      const group: PushGroup = {
        key,
        families,
        pushTimeSeconds: nowSeconds,
        pushFailureTimeSeconds: existing?.pushFailureTimeSeconds ?? 0,
      };
      this.#groups.set(id, group);
      return group;
    } catch (err) {
      const failed: PushGroup = existing
        ? { ...existing, pushFailureTimeSeconds: nowSeconds }
        : { key, families: [], pushTimeSeconds: 0, pushFailureTimeSeconds: nowSeconds };
      this.#groups.set(id, failed);
      throw err;
    }
  }

  /** Drops a group; deleting a group that does not exist is not an error. */
  delete(key: readonly Label[]): PushGroup | undefined {
    const id = groupId(key);
    const group = this.#groups.get(id);
    this.#groups.delete(id);
    return group;
  }

  wipe(): PushGroup[] {
    const all = this.groups();
    this.#groups.clear();
    return all;
  }

  /** Every exposed series of every group. */
  exposed(): ExposedSample[] {
    return this.groups().flatMap(exposedSamples);
  }

  #check(id: string, key: readonly Label[], families: MetricFamily[]): void {
    const types = new Map<string, MetricType>();
    const seen = new Set<string>();
    for (const [otherId, other] of this.#groups) {
      if (otherId === id) continue;
      for (const f of other.families) types.set(f.name, f.type);
      for (const s of exposedSamples(other)) seen.add(seriesKey(s.labels));
    }
    for (const family of families) {
      if (family.name === PUSH_TIME || family.name === PUSH_FAILURE_TIME) {
        throw new PushRejectedError(
          `pushed metrics are invalid: "${family.name}" is maintained by the Pushgateway itself`,
        );
      }
      const known = types.get(family.name);
      if (known !== undefined && known !== family.type) {
        throw new PushRejectedError(
          `pushed metrics are inconsistent with existing metrics: "${family.name}" is of type ${family.type} here but ${known} in another group`,
        );
      }
      for (const sample of family.samples) {
        if (sample.timestamp !== null) {
          throw new PushRejectedError(
            `pushed metrics are invalid: "${sample.name}" has a timestamp, which the Pushgateway does not accept`,
          );
        }
      }
    }
    const own = new Set<string>();
    for (const s of exposedSamples({ key: [...key], families, pushTimeSeconds: 0, pushFailureTimeSeconds: 0 })) {
      const k = seriesKey(s.labels);
      if (seen.has(k) || own.has(k)) {
        throw new PushRejectedError(
          `pushed metrics are inconsistent with existing metrics: duplicate series ${formatSeries(s.labels)}`,
        );
      }
      own.add(k);
    }
  }
}

/** POST: the pushed families replace same-named ones, the others stay. */
function mergeFamilies(existing: MetricFamily[], pushed: MetricFamily[]): MetricFamily[] {
  const pushedNames = new Set(pushed.map((f) => f.name));
  return [...existing.filter((f) => !pushedNames.has(f.name)), ...pushed];
}

/**
 * A group's series: each sample's labels with the grouping key's labels winning, its name, and the group's
 * `push_time_seconds` and `push_failure_time_seconds`. An empty value (`instance=""`) means the label is absent.
 */
export function exposedSamples(group: PushGroup): ExposedSample[] {
  const out: ExposedSample[] = [];
  for (const family of group.families) {
    for (const sample of family.samples) {
      if (sample.histogram !== null) continue;
      out.push({ labels: withKey(sample.labels, group.key, sample.name), value: sample.value });
    }
  }
  if (group.pushTimeSeconds > 0 || group.pushFailureTimeSeconds > 0 || group.families.length > 0) {
    out.push({ labels: withKey([], group.key, PUSH_TIME), value: group.pushTimeSeconds });
    out.push({ labels: withKey([], group.key, PUSH_FAILURE_TIME), value: group.pushFailureTimeSeconds });
  }
  return out;
}

function withKey(labels: readonly Label[], key: readonly Label[], name: string): Label[] {
  const merged = new Map<string, string>();
  for (const l of labels) merged.set(l.name, l.value);
  for (const l of key) merged.set(l.name, l.value);
  merged.set("__name__", name);
  return [...merged]
    .filter(([, value]) => value !== "")
    .map(([n, value]) => ({ name: n, value }))
    .sort(compareLabelNames);
}

export function seriesKey(labels: readonly Label[]): string {
  return labels.map((l) => `${l.name}\u0000${l.value}`).join("\u0001");
}

function formatSeries(labels: readonly Label[]): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(", ")}}`;
}
