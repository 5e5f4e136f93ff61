// `npm run bench [-- name-filter]`: runs every `*.bench.ts` under packages/, workers/ and bench/, printing one JSON
// object per figure on stdout and human-readable notes on stderr.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { withRatio, type Benchmark } from "./report";

const root = join(import.meta.dirname, "..");

function findBenchFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findBenchFiles(path, out);
    else if (name.endsWith(".bench.ts")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ["packages", "workers", "bench"]
  .flatMap((dir) => findBenchFiles(join(root, dir)))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

if (files.length === 0) console.error("no benchmarks found");
let failed = false;
for (const file of files) {
  const name = relative(root, file);
  console.error(`# ${name}`);
  try {
    const module = (await import(pathToFileURL(file).href)) as { default: Benchmark };
    await module.default((result, note) => {
      console.log(JSON.stringify(withRatio(result)));
      if (note) console.error(`  ${note}`);
    });
  } catch (err) {
    failed = true;
    console.error(`  ${name} failed:`, err);
  }
}
process.exit(failed ? 1 : 0);
