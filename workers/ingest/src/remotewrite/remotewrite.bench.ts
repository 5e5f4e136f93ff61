// Remote-write decode throughput: hand-written decoders against protobufjs's generated ones, with and without
// Snappy, on 2,000-sample requests shaped like what Prometheus sends (one sample per series, node-exporter-like
// label sets, and 200 series x 10 samples). Rates are per second of CPU time (see cpu-rate.ts).
// `npm run bench -- remotewrite`.
// snappyjs ships no types; the declaration lives beside the codec it is compared with.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../../packages/wire/src/snappy/snappyjs.d.ts" />
import * as snappyjs from "snappyjs";
import type { Benchmark } from "../../../../bench/report";
import { snappyDecode, snappyEncode } from "@edgeprom/wire";
import { decodeWriteRequestV1 } from "./decode-v1";
import { decodeWriteRequestV2 } from "./decode-v2";
import { encodeWriteRequestV1, encodeWriteRequestV2, type SeriesToWrite } from "./encode";
import type { Label } from "./model";
import { cpuRates } from "./cpu-rate";
import { decodeWithProtobufjs, ProtobufjsWriteRequest, ProtobufjsWriteRequestV2 } from "./protobufjs-reference";

const SAMPLES_PER_REQUEST = 2000;
const TARGET_SAMPLES_PER_SECOND = 5e6;

const METRICS: Array<[string, Record<string, string[]>]> = [
  [
    "node_cpu_seconds_total",
    {
      cpu: ["0", "1", "2", "3", "4", "5", "6", "7"],
      mode: ["idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"],
    },
  ],
  ["node_network_receive_bytes_total", { device: ["eth0", "eth1", "lo", "docker0", "veth1a2b3c"] }],
  [
    "node_filesystem_avail_bytes",
    { device: ["/dev/sda1", "/dev/sdb1", "tmpfs"], fstype: ["ext4", "tmpfs"], mountpoint: ["/", "/data", "/run"] },
  ],
  [
    "http_request_duration_seconds_bucket",
    {
      handler: ["/api/v1/query", "/api/v1/write", "/metrics"],
      le: ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "+Inf"],
      method: ["GET", "POST"],
    },
  ],
];

/** Realistic series: one metric family after another, each over its label combinations, spread over instances. */
function realisticSeries(count: number, samplesPerSeries: number): SeriesToWrite[] {
  const out: SeriesToWrite[] = [];
  const t0 = 1_700_000_000_000;
  for (let i = 0; out.length < count; i++) {
    const [name, dims] = METRICS[i % METRICS.length];
    const obj: Record<string, string> = {
      __name__: name,
      instance: `10.0.${(i >> 8) & 255}.${i & 255}:9100`,
      job: "node",
      cluster: "eu-west-1",
    };
    let k = i;
    for (const [dim, values] of Object.entries(dims)) {
      obj[dim] = values[k % values.length];
      k = Math.floor(k / values.length) + 7;
    }
    const labels: Label[] = Object.entries(obj)
      .map(([n, v]) => ({ name: n, value: v }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const samples = [];
    for (let s = 0; s < samplesPerSeries; s++)
      samples.push({ timestamp: t0 + s * 15_000 + (i % 1000), value: i * 1.5 + s });
    out.push({ labels, samples });
  }
  return out;
}

const bench: Benchmark = async (report) => {
  for (const [shape, seriesCount, perSeries] of [
    ["1x2000", SAMPLES_PER_REQUEST, 1],
    ["10x200", SAMPLES_PER_REQUEST / 10, 10],
  ] as const) {
    const series = realisticSeries(seriesCount, perSeries);
    const v1 = encodeWriteRequestV1({ series });
    const v2 = encodeWriteRequestV2({ series });
    const v1z = snappyEncode(v1);
    const v2z = snappyEncode(v2);
    const note = `${seriesCount} series x ${perSeries} samples; RW1 ${v1.length} B (${v1z.length} B snappy), RW2 ${v2.length} B (${v2z.length} B snappy)`;
    const rates = cpuRates({
      rw1: () => decodeWriteRequestV1(v1),
      rw1Snappy: () => decodeWriteRequestV1(snappyDecode(v1z)),
      rw2: () => decodeWriteRequestV2(v2),
      rw2Snappy: () => decodeWriteRequestV2(snappyDecode(v2z)),
      rw1Pbjs: () => ProtobufjsWriteRequest.decode(v1),
      rw1PbjsObjects: () => decodeWithProtobufjs(ProtobufjsWriteRequest, v1),
      rw2Pbjs: () => ProtobufjsWriteRequestV2.decode(v2),
      rw2PbjsObjects: () => decodeWithProtobufjs(ProtobufjsWriteRequestV2, v2),
    });
    const samples = (k: keyof typeof rates) => Math.round(rates[k] * SAMPLES_PER_REQUEST);
    const figure = (metric: string, value: number, baseline: number | null, text?: string) =>
      report({ bench: "remotewrite", metric: `${metric} [${shape}]`, value, unit: "samples/s", baseline }, text);
    figure("rw1 decode, hand-written", samples("rw1"), TARGET_SAMPLES_PER_SECOND, note);
    figure("rw1 decode+snappy, hand-written", samples("rw1Snappy"), TARGET_SAMPLES_PER_SECOND);
    figure("rw2 decode, hand-written", samples("rw2"), TARGET_SAMPLES_PER_SECOND);
    figure("rw2 decode+snappy, hand-written", samples("rw2Snappy"), TARGET_SAMPLES_PER_SECOND);
    // The comparison that chose the decoder: hand-written (validated, final shape) against protobufjs's generated
    // decoder producing raw messages (int64 as Long objects), and the same turned into plain objects.
    figure("rw1 hand-written vs protobufjs raw messages", samples("rw1"), samples("rw1Pbjs"));
    figure("rw1 hand-written vs protobufjs plain objects", samples("rw1"), samples("rw1PbjsObjects"));
    figure("rw2 hand-written vs protobufjs raw messages", samples("rw2"), samples("rw2Pbjs"));
    figure("rw2 hand-written vs protobufjs plain objects", samples("rw2"), samples("rw2PbjsObjects"));
    if (shape === "1x2000") {
      const mb = v1.length / 1e6;
      const codec = cpuRates({
        ours: () => snappyDecode(v1z),
        snappyjs: () => snappyjs.uncompress(v1z),
        oursEncode: () => snappyEncode(v1),
        snappyjsEncode: () => snappyjs.compress(v1),
      });
      const mbs = (k: keyof typeof codec) => Math.round(codec[k] * mb);
      report(
        {
          bench: "remotewrite",
          metric: "snappy decode, hand-written vs snappyjs",
          value: mbs("ours"),
          unit: "MB/s",
          baseline: mbs("snappyjs"),
        },
        "baseline: snappyjs 0.7.0",
      );
      report({
        bench: "remotewrite",
        metric: "snappy encode, hand-written vs snappyjs",
        value: mbs("oursEncode"),
        unit: "MB/s",
        baseline: mbs("snappyjsEncode"),
      });
    }
  }
};

export default bench;
