// Scrape bookkeeping throughput without I/O: a node-exporter-sized scrape (2,000 series) through target labels,
// three metric_relabel_configs, limits and staleness tracking; and building 1,000 targets through five target
// relabel rules. `npm run bench -- scrape-loop`.
import type { Benchmark } from "../../../../bench/report";
import { loadConfig } from "../config";
import type { Label } from "../relabel";
import { ScrapeLoopState, type ExposedSample } from "./scrape-loop";
import { buildTargets } from "./target";

const SERIES = 2_000;

const CONFIG = loadConfig(`
scrape_configs:
  - job_name: node
    sample_limit: 50000
    label_limit: 30
    static_configs:
      - targets: [${Array.from({ length: 1_000 }, (_, i) => `"10.0.${i >> 8}.${i & 255}:9100"`).join(", ")}]
        labels: { env: prod, __meta_dc: eu-west }
    relabel_configs:
      - source_labels: [__meta_dc]
        target_label: dc
      - source_labels: [__address__]
        regex: "([^:]+):.*"
        target_label: host
      - source_labels: [__address__]
        target_label: __tmp_shard
        modulus: 4
        action: hashmod
      - source_labels: [__tmp_shard]
        regex: "[0-3]"
        action: keep
      - regex: "__meta_.*"
        action: labeldrop
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: "go_gc_.*"
        action: drop
      - regex: "path"
        action: labeldrop
      - source_labels: [__name__, mode]
        regex: "node_cpu_seconds_total;(.*)"
        target_label: cpu_mode
`).scrapeConfigs[0];

function scrape(round: number): ExposedSample<number>[] {
  const samples: ExposedSample<number>[] = [];
  for (let i = 0; i < SERIES; i++) {
    const name =
      i % 10 === 0 ? "go_gc_duration_seconds" : i % 3 === 0 ? "node_cpu_seconds_total" : `node_metric_${i % 50}`;
    const labels: Label[] = [
      { name: "__name__", value: name },
      { name: "cpu", value: String(i % 16) },
      { name: "mode", value: ["idle", "user", "system"][i % 3] },
      { name: "path", value: `/sys/${i}` },
      { name: "series", value: String(i) },
    ];
    samples.push({ labels, value: i + round });
  }
  return samples;
}

// CPU time rather than wall time: the figures stay meaningful on a machine busy with other work.
const nodeProcess = (globalThis as { process?: { cpuUsage(): { user: number; system: number } } }).process;
const cpuMilliseconds = () => {
  if (!nodeProcess) return performance.now();
  const usage = nodeProcess.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function rate(iterations: number, perIteration: number, run: () => void): number {
  run(); // warm up
  const start = cpuMilliseconds();
  for (let i = 0; i < iterations; i++) run();
  return (iterations * perIteration) / ((cpuMilliseconds() - start) / 1000);
}

const bench: Benchmark = async (report) => {
  const targets = buildTargets(CONFIG, CONFIG.staticConfigs);
  const target = targets.active[0];
  const loop = new ScrapeLoopState({ ...CONFIG, targetLabels: target.publicLabels, timeout: target.timeout });
  const rounds = [scrape(0), scrape(1)];
  let round = 0;
  const samplesPerSecond = rate(50, SERIES, () => {
    const outcome = loop.append({ timestamp: round * 15_000, duration: 5, result: { samples: rounds[round++ % 2] } });
    if (outcome.error) throw new Error(outcome.error);
  });
  report(
    {
      bench: "scrape-loop",
      metric: "scraped samples processed",
      value: Math.round(samplesPerSecond),
      unit: "samples/cpu-s",
      baseline: null,
    },
    `${SERIES} series a scrape, 3 metric relabel rules, label limit, staleness tracking`,
  );
  const targetsPerSecond = rate(20, 1_000, () => {
    if (buildTargets(CONFIG, CONFIG.staticConfigs).active.length !== 1_000) throw new Error("targets lost");
  });
  report(
    {
      bench: "scrape-loop",
      metric: "targets built",
      value: Math.round(targetsPerSecond),
      unit: "targets/cpu-s",
      baseline: null,
    },
    "1,000 static targets through 5 relabel rules (replace, regex replace, hashmod, keep, labeldrop)",
  );
};

export default bench;
