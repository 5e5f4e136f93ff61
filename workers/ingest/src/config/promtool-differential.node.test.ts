import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error";
import { loadConfig } from "./load";

// Differential test: `promtool check config` (Debian's Prometheus 2.42, installed for the test suite by
// scripts/system-deps.mjs) and loadConfig must accept and refuse the same files. The cases stay inside what
// Prometheus 2.42 and 3.x agree on and what edgeprom supports.

const PROMTOOL = "/usr/bin/promtool";
const directory = mkdtempSync(join(tmpdir(), "edgeprom-promtool-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function promtoolAccepts(text: string, name: string): { ok: boolean; output: string } {
  if (!existsSync(PROMTOOL)) throw new Error(`${PROMTOOL} is missing: run node scripts/system-deps.mjs`);
  const file = join(directory, `${name}.yml`);
  writeFileSync(file, text);
  const result = spawnSync(PROMTOOL, ["check", "config", file], { encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function weAccept(text: string): { ok: boolean; output: string } {
  try {
    loadConfig(text);
    return { ok: true, output: "" };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, output: err.message };
    throw err;
  }
}

const job = (body: string) => `scrape_configs:\n  - job_name: a\n${body}`;

const CASES: Record<string, string> = {
  "empty file": "",
  "full scrape config": job(`    scrape_interval: 30s
    scrape_timeout: 20s
    metrics_path: /m
    scheme: https
    honor_labels: true
    honor_timestamps: false
    params: { module: [x] }
    basic_auth: { username: u, password: p }
    sample_limit: 10
    label_limit: 5
    label_name_length_limit: 10
    label_value_length_limit: 10
    target_limit: 3
    body_size_limit: 10MB
    static_configs: [{ targets: ["h:1"], labels: { a: b } }]
    http_sd_configs: [{ url: "http://sd.invalid/x", refresh_interval: 1m }]
    dns_sd_configs: [{ names: [x.invalid], type: A, port: 80 }]
    relabel_configs:
      - { source_labels: [a], target_label: b }
      - { source_labels: [a], target_label: c, modulus: 3, action: hashmod }
      - { source_labels: [a], target_label: d, action: lowercase }
      - { source_labels: [a], target_label: b, action: keepequal }
      - { regex: "x.*", action: labeldrop }
      - { regex: "(.*)", replacement: "y_$1", action: labelmap }`),
  "unknown top-level field": "scrape_config: []\n",
  "unknown global field": "global: { scrape_intervall: 1m }\n",
  "unknown scrape field": job("    scrape_intervall: 1m\n"),
  "unknown relabel field": job("    relabel_configs: [{ sources: [a] }]\n"),
  "unknown relabel action": job("    relabel_configs: [{ action: foo }]\n"),
  "hashmod without modulus": job("    relabel_configs: [{ action: hashmod, target_label: x }]\n"),
  "replace without target": job("    relabel_configs: [{ source_labels: [a] }]\n"),
  "lowercase with replacement": job("    relabel_configs: [{ action: lowercase, target_label: x, replacement: y }]\n"),
  "keepequal with regex": job("    relabel_configs: [{ action: keepequal, target_label: x, regex: y }]\n"),
  "labeldrop with source labels": job("    relabel_configs: [{ action: labeldrop, regex: x, source_labels: [a] }]\n"),
  "invalid regex": job('    relabel_configs: [{ regex: "((", target_label: x }]\n'),
  "timeout above interval": job("    scrape_interval: 5s\n    scrape_timeout: 6s\n"),
  "global timeout above interval": "global: { scrape_interval: 5s, scrape_timeout: 6s }\n",
  "fractional duration": "global: { scrape_interval: 1.5m }\n",
  "size without unit": job("    body_size_limit: 10\n"),
  "duplicate job names": "scrape_configs: [{ job_name: a }, { job_name: a }]\n",
  "empty job name": "scrape_configs: [{ scrape_interval: 1m }]\n",
  "URL as target": job('    static_configs: [{ targets: ["http://h/metrics"] }]\n'),
  "http_sd without url": job("    http_sd_configs: [{ refresh_interval: 1m }]\n"),
  "http_sd with ftp url": job('    http_sd_configs: [{ url: "ftp://h/x" }]\n'),
  "dns_sd A without port": job("    dns_sd_configs: [{ names: [x], type: A }]\n"),
  "dns_sd bad type": job("    dns_sd_configs: [{ names: [x], type: TXT }]\n"),
  "basic_auth and authorization": job("    basic_auth: { username: u }\n    authorization: { credentials: c }\n"),
  "authorization type basic": job("    authorization: { type: Basic, credentials: c }\n"),
  "duplicate key": "global:\n  scrape_interval: 1m\n  scrape_interval: 2m\n",
  "boolean as text": job("    honor_labels: maybe\n"),
};

describe("loadConfig versus promtool check config", () => {
  const accepted = new Map<string, boolean>();
  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => {
      const reference = promtoolAccepts(text, name.replaceAll(" ", "-"));
      const ours = weAccept(text);
      accepted.set(name, reference.ok);
      expect(ours.ok, `promtool: ${reference.output.trim()}\nedgeprom: ${ours.output}`).toBe(reference.ok);
    });
  }

  it("covers both outcomes", () => {
    expect([...accepted].filter(([, ok]) => ok).map(([name]) => name)).toEqual(["empty file", "full scrape config"]);
    expect(accepted.size).toBe(Object.keys(CASES).length);
  });
});
