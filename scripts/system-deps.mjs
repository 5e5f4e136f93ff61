#!/usr/bin/env node
// Debian packages the tests drive for real. Installed with apt-get when running as root (CI, fresh machines);
// otherwise the run stops at once with the command to type.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

/** Debian package → a file that proves it is installed. */
export const SYSTEM_PACKAGES = {
  chromium: "/usr/bin/chromium",
  // promtool (Prometheus 2.42): reads and builds TSDB blocks in the block compatibility tests and benchmarks.
  prometheus: "/usr/bin/promtool",
  // node_exporter 1.5: the real exporter edgeprom and Prometheus both scrape in the scraping comparison.
  "prometheus-node-exporter": "/usr/bin/prometheus-node-exporter",
};

const missing = Object.entries(SYSTEM_PACKAGES)
  .filter(([, file]) => !existsSync(file))
  .map(([name]) => name);

if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
if (typeof process.getuid !== "function" || process.getuid() !== 0) {
  console.error(
    `The tests need Debian packages that are not installed: ${missing.join(", ")}.\nRun:\n  sudo sh -c '${command}'`,
  );
  process.exit(1);
}

console.log(`Installing Debian packages the tests need: ${missing.join(", ")}`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...missing]]) {
  const result = spawnSync("apt-get", args, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`apt-get ${args.join(" ")} failed; run it by hand:\n  ${command}`);
    process.exit(1);
  }
}
