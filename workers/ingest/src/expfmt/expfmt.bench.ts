// Exposition parse throughput: a node-exporter-sized scrape (about 2,000 samples over 100 families: counters,
// gauges, histograms, summaries) in the Prometheus text format and in OpenMetrics, plus the protobuf format.
// Rates are per second of CPU time. `npm run bench -- expfmt`.
import type { Benchmark } from "../../../../bench/report";
import { ProtoWriter, WireType } from "@edgeprom/wire";
import { parseOpenMetrics } from "./openmetrics";
import { parsePrometheusText } from "./prometheus-text";
import { parseProtobufExposition } from "./protobuf";
import { cpuRates } from "../remotewrite/cpu-rate";

const FAMILIES = 100;
const SERIES_PER_FAMILY = 16;
const BUCKETS = ["0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"];

function exposition(openMetrics: boolean): { text: string; samples: number } {
  const lines: string[] = [];
  let samples = 0;
  for (let f = 0; f < FAMILIES; f++) {
    const kind = f % 4;
    const base = `app_metric_${f}`;
    const name = kind === 0 ? base : kind === 1 ? `${base}_total` : `${base}_seconds`;
    const familyName = openMetrics && kind === 1 ? base : name;
    lines.push(`# HELP ${familyName} Help text for metric ${f}.`);
    lines.push(`# TYPE ${familyName} ${["gauge", "counter", "histogram", "summary"][kind]}`);
    for (let s = 0; s < SERIES_PER_FAMILY; s++) {
      const labels = `instance="10.0.0.${s}:9100",job="node",path="/api/v1/resource/${s % 5}"`;
      if (kind === 2) {
        for (const [b, le] of BUCKETS.entries()) lines.push(`${name}_bucket{${labels},le="${le}"} ${b * 10 + s}`);
        lines.push(`${name}_sum{${labels}} ${s * 1.25}`, `${name}_count{${labels}} ${(BUCKETS.length - 1) * 10 + s}`);
        samples += BUCKETS.length + 2;
      } else if (kind === 3) {
        for (const q of ["0.5", "0.9", "0.99"]) lines.push(`${name}{${labels},quantile="${q}"} ${s * 0.001}`);
        lines.push(`${name}_sum{${labels}} ${s * 3.5}`, `${name}_count{${labels}} ${s * 7}`);
        samples += 5;
      } else {
        lines.push(`${name}{${labels}} ${s * 17.5 + f}`);
        samples += 1;
      }
    }
  }
  if (openMetrics) lines.push("# EOF");
  return { text: lines.join("\n") + "\n", samples };
}

/** A protobuf exposition of counters with the same label sets. */
function protobufExposition(): { bytes: Uint8Array; samples: number } {
  const w = new ProtoWriter(1 << 16);
  let samples = 0;
  for (let f = 0; f < FAMILIES; f++) {
    const family = new ProtoWriter();
    family.tag(1, WireType.LengthDelimited).string(`app_metric_${f}_total`);
    family.tag(2, WireType.LengthDelimited).string(`Help text for metric ${f}.`);
    for (let s = 0; s < SERIES_PER_FAMILY * 2; s++) {
      family.fork(4);
      for (const [n, v] of [
        ["instance", `10.0.0.${s}:9100`],
        ["job", "node"],
        ["path", `/api/v1/resource/${s % 5}`],
      ]) {
        family.fork(1).tag(1, WireType.LengthDelimited).string(n).tag(2, WireType.LengthDelimited).string(v).join();
      }
      family
        .fork(3)
        .tag(1, WireType.Fixed64)
        .double(s * 17.5)
        .join();
      family.join();
      samples++;
    }
    w.bytes(family.finish());
  }
  return { bytes: w.finish(), samples };
}

const bench: Benchmark = async (report) => {
  const text = exposition(false);
  const om = exposition(true);
  const proto = protobufExposition();
  const rates = cpuRates({
    text: () => parsePrometheusText(text.text),
    openMetrics: () => parseOpenMetrics(om.text),
    openMetricsStrict: () => parseOpenMetrics(om.text, { strict: true }),
    protobuf: () => parseProtobufExposition(proto.bytes),
  });
  const figure = (metric: string, value: number, note?: string) =>
    report({ bench: "expfmt", metric, value: Math.round(value), unit: "samples/s", baseline: null }, note);
  figure(
    "Prometheus text 0.0.4 parse",
    rates.text * text.samples,
    `${text.samples} samples, ${text.text.length} bytes per scrape`,
  );
  figure("OpenMetrics 1.0 parse", rates.openMetrics * om.samples);
  figure("OpenMetrics 1.0 parse, strict conformance checks", rates.openMetricsStrict * om.samples);
  figure("protobuf exposition parse", rates.protobuf * proto.samples, `${proto.samples} counter samples`);
};

export default bench;
