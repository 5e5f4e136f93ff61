import { formatFloat } from "@edgeprom/promql/format";

/** A metric family to write in the Prometheus text format (0.0.4). */
export interface TextFamily {
  name: string;
  type: "counter" | "gauge" | "untyped";
  help: string;
  samples: {
    labels: Record<string, string> | readonly { name: string; value: string }[];
    value: number;
    timestampMs?: number;
  }[];
}

export const TEXT_EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Writes families in the text format, escaping as the format requires (`\\`, `\n`, and `"` in label values). */
export function writeTextExposition(families: readonly TextFamily[]): string {
  let out = "";
  for (const family of families) {
    if (family.help !== "")
      out += `# HELP ${family.name} ${family.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n`;
    out += `# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) {
      const pairs = Array.isArray(sample.labels)
        ? (sample.labels as readonly { name: string; value: string }[]).map((l) => [l.name, l.value] as const)
        : Object.entries(sample.labels);
      const labels = pairs
        .filter(([name]) => name !== "__name__")
        .map(([name, value]) => `${name}="${value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`);
      const name = pairs.find(([n]) => n === "__name__")?.[1] ?? family.name;
      out += `${name}${labels.length > 0 ? `{${labels.join(",")}}` : ""} ${formatFloat(sample.value)}`;
      out += sample.timestampMs !== undefined ? ` ${sample.timestampMs}\n` : "\n";
    }
  }
  return out;
}
