import type { AppendBatch, SeriesAppend } from "@edgeprom/tsdb";
import type { ScrapedValue } from "./scrape-request";
import type { ScrapeOutcome } from "./scrape-loop";
import { STALE_NAN } from "./stale-nan";

/**
 * One storage append batch for everything a scrape produced: its samples, its stale markers (Prometheus's stale NaN,
 * also for histogram series, as Prometheus appends them) and its report series. One entry per series.
 */
export function scrapeOutcomeBatch(outcome: ScrapeOutcome<ScrapedValue>): AppendBatch {
  const batch: SeriesAppend[] = [];
  for (const sample of outcome.samples) {
    if (typeof sample.value === "number") {
      batch.push({ labels: sample.labels, samples: [{ t: sample.timestamp, v: sample.value }] });
    } else {
      batch.push({ labels: sample.labels, histograms: [{ t: sample.timestamp, h: sample.value }] });
    }
  }
  for (const marker of outcome.staleMarkers) {
    batch.push({ labels: marker.labels, samples: [{ t: marker.timestamp, v: STALE_NAN }] });
  }
  for (const sample of outcome.report) {
    batch.push({ labels: sample.labels, samples: [{ t: sample.timestamp, v: sample.value }] });
  }
  return batch;
}
