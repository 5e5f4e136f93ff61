import { emptyAppendResult, mergeAppendResults, type AppendResult } from "../head/append-result";
import { shardOf } from "../labels/hash";
import { compareStrings, sortLabels, type Labels } from "../labels/label";
import type { AppendBatch, HistogramSample } from "../wal/append-batch";
import { AppendBatchEncoder } from "../wal/batch-codec";
import { forEachShard, shardName, type ShardNamespace, type ShardRpc } from "./shard-rpc";

/** One series of decoded sample columns: its float samples are `[sampleStart, sampleStart + sampleCount)`. */
export interface ColumnSeries {
  labels: Labels;
  sampleStart: number;
  sampleCount: number;
  histogramSamples?: readonly HistogramSample[];
}

/** Decoded samples as ingest decoders produce them: series plus timestamp and value columns they share. */
export interface AppendColumns {
  series: readonly ColumnSeries[];
  timestamps: Float64Array;
  /** NaN payloads (the stale marker) are kept: values are copied as bytes. */
  values: Float64Array;
}

/**
 * Splits an append by shard (`hash(labels) % N`), sends each shard its part as one encoded batch (at most six
 * calls in flight) and resolves only when every shard has committed. If any shard fails the call rejects with a
 * `ShardCallError`; shards that did commit keep their part, and a retry of the whole batch is harmless because an
 * identical resent sample is ignored.
 */
export class ShardedWriter {
  readonly #shards: ShardRpc[];

  constructor(namespace: ShardNamespace, shardCount: number) {
    this.#shards = Array.from({ length: shardCount }, (_, i) => namespace.get(namespace.idFromName(shardName(i))));
  }

  get shardCount(): number {
    return this.#shards.length;
  }

  /** Appends plain series objects (scrapes, the Pushgateway). */
  append(batch: AppendBatch): Promise<AppendResult> {
    const parts = new Parts(this.#shards.length, batch.length);
    for (const series of batch) {
      const labels = canonical(series.labels);
      parts.encoderFor(labels).add(labels === series.labels ? series : { ...series, labels });
    }
    return this.#send(parts);
  }

  /** Appends decoded columns (remote write, OTLP) without turning samples into objects. */
  appendColumns(columns: AppendColumns): Promise<AppendResult> {
    const parts = new Parts(this.#shards.length, columns.series.length);
    const { timestamps, values } = columns;
    for (const s of columns.series) {
      const histograms = s.histogramSamples;
      if (s.sampleCount === 0 && (histograms === undefined || histograms.length === 0)) continue;
      const labels = canonical(s.labels);
      parts
        .encoderFor(labels)
        .addColumns(labels, timestamps, values, s.sampleStart, s.sampleStart + s.sampleCount, histograms);
    }
    return this.#send(parts);
  }

  async #send(parts: Parts): Promise<AppendResult> {
    const indexes = parts.indexes();
    const results = await forEachShard(indexes, "append", (i) => this.#shards[i].append(parts.encoded(i)));
    return results.reduce(mergeAppendResults, emptyAppendResult());
  }
}

/** One encoder per shard that receives series. */
class Parts {
  readonly #encoders: (AppendBatchEncoder | undefined)[];
  readonly #expectedPerShard: number;

  constructor(shardCount: number, seriesCount: number) {
    this.#encoders = new Array<AppendBatchEncoder | undefined>(shardCount);
    this.#expectedPerShard = Math.ceil(seriesCount / shardCount) + 8;
  }

  encoderFor(labels: Labels): AppendBatchEncoder {
    const index = shardOf(labels, this.#encoders.length);
    return (this.#encoders[index] ??= new AppendBatchEncoder(this.#expectedPerShard));
  }

  indexes(): number[] {
    const out: number[] = [];
    this.#encoders.forEach((e, i) => {
      if (e !== undefined) out.push(i);
    });
    return out;
  }

  encoded(index: number): Uint8Array {
    return (this.#encoders[index] as AppendBatchEncoder).finish();
  }
}

/** Placement hashes the canonical label set: sorted by name, empty values dropped. */
function canonical(labels: Labels): Labels {
  let ok = true;
  for (let i = 0; i < labels.length && ok; i++) {
    if (labels[i].value === "" || (i > 0 && compareStrings(labels[i - 1].name, labels[i].name) >= 0)) ok = false;
  }
  return ok ? labels : sortLabels(labels.filter((l) => l.value !== ""));
}
