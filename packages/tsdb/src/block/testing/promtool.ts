// Node-only test and benchmark support: drives Debian's promtool (package `prometheus`, Prometheus 2.42).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export const PROMTOOL = "/usr/bin/promtool";

export function promtoolInstalled(): boolean {
  return existsSync(PROMTOOL);
}

export function promtool(args: readonly string[]): string {
  return execFileSync(PROMTOOL, args, { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
}

/** `promtool tsdb create-blocks-from openmetrics`: Prometheus's own blocks from an OpenMetrics file. */
export function createBlocksFromOpenMetrics(openMetricsFile: string, outDir: string): void {
  promtool(["tsdb", "create-blocks-from", "openmetrics", "--quiet", openMetricsFile, outDir]);
}

export interface DumpedSample {
  readonly series: string;
  readonly value: number;
  readonly timestamp: number;
}

/**
 * `promtool tsdb dump`: every sample of every block, as `{labels} value timestamp` lines. promtool 2.42 opens the
 * directory as a whole TSDB, so an empty `wal/` is created first.
 */
export function dumpSamples(tsdbDir: string, extraArgs: readonly string[] = []): DumpedSample[] {
  mkdirSync(join(tsdbDir, "wal"), { recursive: true });
  const out = promtool(["tsdb", "dump", ...extraArgs, tsdbDir]);
  const samples: DumpedSample[] = [];
  for (const line of out.split("\n")) {
    if (line === "") continue;
    const close = line.lastIndexOf("} ");
    const [value, timestamp] = line.slice(close + 2).split(" ");
    samples.push({ series: line.slice(0, close + 1), value: parseGoFloat(value), timestamp: Number(timestamp) });
  }
  return samples;
}

/** Formats a label set the way promtool prints it: `{a="1", b="2"}` with Go-quoted values. */
export function promtoolSeriesString(labels: readonly { name: string; value: string }[]): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(", ")}}`;
}

/** Go's %g output: like JavaScript's except for the infinities. */
function parseGoFloat(text: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(text);
}
