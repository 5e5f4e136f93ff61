import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");

/** Where the upstream test data come from, for the message when the folder is missing. */
const UPSTREAM = [
  "github.com/prometheus/prometheus d15adb9ad7e5d9fbde3a9a8f30200593a5a14d86 (promql tests, textparse, protos, API spec)",
  "github.com/prometheus/common d2417e2cbb82c4c81e4d28d55f354058169a9f08 (expfmt test data)",
  "github.com/prometheus/OpenMetrics 3bb328ab04d26b25ac548d851619f90d15090e5d (parser test cases)",
  "github.com/prometheus/compliance 67b8327a2e93dc28f64d4b21bbce00b362f565d5 (compliance queries)",
  "github.com/prometheus/alertmanager 68fb2d5759b3a92c0bb2a1a13d4ef7ff5b06256d (Alertmanager v2 API spec)",
];

export class TestdataMissingError extends Error {
  override readonly name = "TestdataMissingError";
}

/**
 * The one setting for the shared test data: `EDGEPROM_TESTDATA`, or `../shared/testdata` beside the repository.
 * The data are read where they are, never copied into the project.
 */
export function testdataRoot(): string {
  const configured = process.env.EDGEPROM_TESTDATA;
  const root = configured
    ? isAbsolute(configured)
      ? configured
      : resolve(process.cwd(), configured)
    : resolve(REPO_ROOT, "../shared/testdata");
  if (!existsSync(root)) {
    throw new TestdataMissingError(
      `The shared test data are not at ${root}. Set EDGEPROM_TESTDATA to their folder, or fetch them ` +
        `(each folder's SOURCE.md lists the files) from:\n  ${UPSTREAM.join("\n  ")}`,
    );
  }
  return root;
}

/** A path inside the shared test data; fails with the fetch instructions when the data are missing. */
export function testdataPath(...parts: string[]): string {
  const path = join(testdataRoot(), ...parts);
  if (!existsSync(path)) {
    throw new TestdataMissingError(`${path} is missing from the shared test data (see its folder's SOURCE.md)`);
  }
  return path;
}
