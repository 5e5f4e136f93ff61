// Build facts for /api/v1/status/buildinfo, passed to wrangler as --var so the bundle stays the same for a commit.
import { execFileSync } from "node:child_process";

function git(...args) {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

export function buildVars() {
  const vars = { EDGEPROM_BUILD_DATE: new Date().toISOString().replace(/\.\d+Z$/, "Z") };
  const revision = git("rev-parse", "HEAD");
  const branch = git("rev-parse", "--abbrev-ref", "HEAD");
  if (revision) vars.EDGEPROM_REVISION = revision;
  if (branch) vars.EDGEPROM_BRANCH = branch;
  return vars;
}
