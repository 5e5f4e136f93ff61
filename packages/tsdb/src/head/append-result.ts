/** Why a sample was refused; the texts are Prometheus's storage error messages. */
export type RefusalCategory =
  "out of order sample" | "duplicate sample for timestamp" | "invalid labels" | "invalid histogram";

export interface RefusalExample {
  category: RefusalCategory;
  /** The series, printed as Prometheus prints label sets. */
  series: string;
  t: number;
  detail?: string;
}

/** The outcome of one append: what was kept, what was refused and why (the rest of a batch is always kept). */
export interface AppendResult {
  samplesAccepted: number;
  histogramsAccepted: number;
  seriesCreated: number;
  /** Exact resends (same timestamp, same value): dropped silently, as Prometheus does. */
  duplicatesIgnored: number;
  refused: Partial<Record<RefusalCategory, number>>;
  /** A few refused samples, at most `MAX_REFUSAL_EXAMPLES`, to put into an error message. */
  examples: RefusalExample[];
}

export const MAX_REFUSAL_EXAMPLES = 10;

export function emptyAppendResult(): AppendResult {
  return {
    samplesAccepted: 0,
    histogramsAccepted: 0,
    seriesCreated: 0,
    duplicatesIgnored: 0,
    refused: {},
    examples: [],
  };
}

/** Adds `from` into `into` (for merging per-shard results). */
export function mergeAppendResults(into: AppendResult, from: AppendResult): AppendResult {
  into.samplesAccepted += from.samplesAccepted;
  into.histogramsAccepted += from.histogramsAccepted;
  into.seriesCreated += from.seriesCreated;
  into.duplicatesIgnored += from.duplicatesIgnored;
  for (const [category, n] of Object.entries(from.refused) as [RefusalCategory, number][]) {
    into.refused[category] = (into.refused[category] ?? 0) + n;
  }
  for (const example of from.examples) if (into.examples.length < MAX_REFUSAL_EXAMPLES) into.examples.push(example);
  return into;
}

export function refusedCount(result: AppendResult): number {
  let n = 0;
  for (const count of Object.values(result.refused)) n += count ?? 0;
  return n;
}
