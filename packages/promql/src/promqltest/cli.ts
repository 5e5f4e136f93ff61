import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { runScript, type EvalOutcome } from "./runner";

/** `npm run promqltest -- <files or folders>`: runs Prometheus's promqltest scripts against this engine. */
async function main(args: string[]): Promise<number> {
  if (args.length === 0) {
    process.stderr.write("usage: npm run promqltest -- <file.test | folder>...\n");
    return 2;
  }
  const files: string[] = [];
  for (const a of args) {
    if (statSync(a).isDirectory()) {
      for (const f of readdirSync(a).sort()) if (f.endsWith(".test")) files.push(join(a, f));
    } else {
      files.push(a);
    }
  }
  const all: EvalOutcome[] = [];
  for (const f of files) {
    const name = relative(process.cwd(), f) || f;
    let outcomes: EvalOutcome[];
    try {
      outcomes = await runScript(name, readFileSync(f, "utf8"));
    } catch (e) {
      process.stdout.write(`FILE ERROR ${name}: ${(e as Error).message}\n`);
      all.push({ file: name, line: 0, expr: "", status: "fail", message: (e as Error).message });
      continue;
    }
    for (const o of outcomes) {
      if (o.status === "fail") process.stdout.write(`FAIL ${o.file}:${o.line}: ${o.expr}\n  ${o.message}\n`);
      else if (o.status === "skip") process.stdout.write(`SKIP ${o.file}:${o.line}: ${o.expr}\n  ${o.message}\n`);
    }
    all.push(...outcomes);
  }
  const count = (s: string): number => all.filter((o) => o.status === s).length;
  process.stdout.write(`${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped\n`);
  return count("fail") > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
