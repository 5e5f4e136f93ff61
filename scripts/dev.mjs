#!/usr/bin/env node
// `npm run dev`: build the web UI, then run the whole system under `wrangler dev` on http://127.0.0.1:8787.
// Flags after `--` go to wrangler dev and win over the defaults here (`npm run dev -- --port 8790`).
import { spawn, spawnSync } from "node:child_process";
import { watch } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildVars } from "./build-vars.mjs";

const userArgs = process.argv.slice(2);
const has = (flag) => userArgs.some((arg) => arg === flag || arg.startsWith(`${flag}=`));

// A second dev server beside a running one (the end-to-end tests) reuses the built UI instead of rebuilding it.
if (process.env.EDGEPROM_DEV_SKIP_BUILD !== "1") {
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const args = ["wrangler", "dev"];
if (!has("--ip")) args.push("--ip", "127.0.0.1");
if (!has("--port")) args.push("--port", "8787");
for (const [name, value] of Object.entries({ ...buildVars(), EDGEPROM_DEV: "1" }))
  args.push("--var", `${name}:${value}`);
args.push(...userArgs);

// wrangler dev runs in its own process group, so that a restart or Ctrl-C reaches workerd under it too.
let child;
let restarting = false;
function start() {
  child = spawn("npx", args, {
    stdio: "inherit",
    detached: true,
    env: { WRANGLER_SEND_METRICS: "false", ...process.env },
  });
  child.on("exit", (code, signal) => {
    if (!restarting) process.exit(code ?? (signal ? 1 : 0));
    restarting = false;
    start();
  });
}
const stopGroup = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
};
// SIGHUP is what a closed terminal sends: without forwarding it, wrangler and workerd would keep running and keep the
// port. Whatever ends this process, anything left in wrangler's group (a workerd that outlived wrangler) goes too.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stopGroup(signal));
process.on("exit", () => stopGroup("SIGKILL"));
start();

// edgeprom.yml is bundled as a text module, and wrangler 4.86's own reload after such a module changes fails to
// rebind its port; restarting wrangler dev as a whole picks the new configuration up (local state persists).
const configPath = fileURLToPath(new URL("../edgeprom.yml", import.meta.url));
let pending;
watch(configPath, () => {
  clearTimeout(pending);
  pending = setTimeout(() => {
    if (restarting) return;
    console.log("\nedgeprom.yml changed: restarting wrangler dev");
    restarting = true;
    stopGroup("SIGTERM");
  }, 300);
});
