import type { AppendResult } from "@edgeprom/tsdb";

/** What one write request achieved, for the response: counts written and every reason something was not. */
export interface WriteOutcome {
  written: { samples: number; histograms: number; exemplars: number };
  /** Samples storage refused (out of order, duplicates with another value, invalid labels). */
  refusedSamples: number;
  /** Human-readable problems; a non-empty list answers 400 (never retried by senders) after the rest was written. */
  problems: string[];
}

/** Exact resends count as written, as Prometheus counts them: the sender's data is stored. */
export function outcomeOf(result: AppendResult, problems: string[], exemplarsWritten: number): WriteOutcome {
  const out = [...problems];
  for (const [category, count] of Object.entries(result.refused)) {
    if (count) out.push(`${count} samples refused: ${category}`);
  }
  for (const example of result.examples) {
    out.push(`${example.category}: ${example.series} at ${example.t}${example.detail ? ` (${example.detail})` : ""}`);
  }
  const refused = Object.values(result.refused).reduce((n, c) => n + (c ?? 0), 0);
  return {
    refusedSamples: refused,
    written: {
      samples: result.samplesAccepted + result.duplicatesIgnored,
      histograms: result.histogramsAccepted,
      exemplars: exemplarsWritten,
    },
    problems: out,
  };
}
