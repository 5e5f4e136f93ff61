// Test and benchmark support: series with float samples as OpenMetrics text, the input of
// `promtool tsdb create-blocks-from openmetrics`.
import type { LabelSet } from "../labels";

export interface FloatSeries {
  readonly labels: LabelSet;
  readonly timestamps: readonly number[];
  /** A Float64Array keeps NaN payloads (stale markers); V8 may canonicalise NaNs kept in plain arrays. */
  readonly values: ArrayLike<number>;
}

/** One family per metric name (`# TYPE <name> unknown`), samples with millisecond timestamps, then `# EOF`. */
export function toOpenMetrics(series: readonly FloatSeries[]): string {
  const families = new Map<string, FloatSeries[]>();
  for (const s of series) {
    const name = s.labels.find((l) => l.name === "__name__")?.value;
    if (name === undefined) throw new Error("every series needs __name__");
    const list = families.get(name);
    if (list === undefined) families.set(name, [s]);
    else list.push(s);
  }
  const lines: string[] = [];
  for (const [name, members] of families) {
    lines.push(`# TYPE ${name} unknown`);
    for (const s of members) {
      const labelText = s.labels
        .filter((l) => l.name !== "__name__")
        .map((l) => `${l.name}="${l.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
        .join(",");
      const prefix = labelText === "" ? name : `${name}{${labelText}}`;
      for (let i = 0; i < s.timestamps.length; i++) {
        lines.push(`${prefix} ${formatValue(s.values[i])} ${formatSeconds(s.timestamps[i])}`);
      }
    }
  }
  lines.push("# EOF", "");
  return lines.join("\n");
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

function formatSeconds(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${seconds}.${String(ms - seconds * 1000).padStart(3, "0")}`;
}

/**
 * A small node_exporter-like data set, deterministic for a seed: counters that grow by varying steps, gauges with
 * noise, a few series that start late or stop early, scrape timestamps with a little jitter.
 */
export function sampleDataset(options: {
  seriesPerMetric: number;
  start: number;
  samples: number;
  intervalMs: number;
  seed?: number;
}): FloatSeries[] {
  let state = options.seed ?? 42;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const metrics = [
    { name: "node_cpu_seconds_total", kind: "counter" },
    { name: "node_memory_MemAvailable_bytes", kind: "gauge" },
    { name: "node_network_receive_bytes_total", kind: "counter" },
    { name: "node_load1", kind: "float-gauge" },
  ] as const;
  const out: FloatSeries[] = [];
  for (const metric of metrics) {
    for (let i = 0; i < options.seriesPerMetric; i++) {
      const labels = [
        { name: "__name__", value: metric.name },
        { name: "cpu", value: String(i) },
        { name: "instance", value: `host-${i % 7}.example.org:9100` },
        { name: "job", value: "node" },
      ];
      const first = i % 5 === 3 ? Math.floor(options.samples / 3) : 0;
      const last = i % 7 === 4 ? Math.floor((options.samples * 2) / 3) : options.samples;
      const timestamps: number[] = [];
      const values: number[] = [];
      let value = metric.kind === "gauge" ? 8e9 + i * 1e6 : 0;
      for (let k = first; k < last; k++) {
        const jitter = i % 3 === 0 ? Math.floor(random() * 5) : 0;
        timestamps.push(options.start + k * options.intervalMs + jitter);
        if (metric.kind === "counter") value += Math.floor(random() * 1000) / 100;
        else if (metric.kind === "gauge") value = 8e9 + Math.floor(random() * 1e6) * 4096;
        else value = Math.round(random() * 400) / 100;
        values.push(value);
      }
      out.push({ labels, timestamps, values });
    }
  }
  return out;
}
