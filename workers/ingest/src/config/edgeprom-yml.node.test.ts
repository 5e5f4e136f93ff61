import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTargets } from "../scrape/target";
import { loadConfig } from "./load";

describe("the repository's edgeprom.yml", () => {
  const text = readFileSync(new URL("../../../../edgeprom.yml", import.meta.url), "utf8");

  it("loads and scrapes edgeprom's own /metrics every 15 s", () => {
    const config = loadConfig(text);
    expect(config.scrapeConfigs.map((job) => job.jobName)).toEqual(["edgeprom"]);
    const [job] = config.scrapeConfigs;
    expect(job.scrapeInterval).toBe(15_000);
    const targets = buildTargets(job, job.staticConfigs).active;
    expect(targets.map((target) => target.url)).toEqual(["http://127.0.0.1:8787/metrics"]);
    expect(targets[0].publicLabels).toEqual([
      { name: "instance", value: "127.0.0.1:8787" },
      { name: "job", value: "edgeprom" },
    ]);
  });

  it("keeps its commented examples valid", () => {
    // Uncomment the example jobs: they must load too.
    const examples = text
      .split("\n")
      .map((line) => line.replace(/^ {2}# ((?:- )?[a-z_]+:.*| {2,}.*)$/, "  $1"))
      .join("\n");
    const config = loadConfig(examples);
    expect(config.scrapeConfigs.map((job) => job.jobName)).toEqual(["edgeprom", "node", "services", "dns"]);
  });
});
