import { afterEach, describe, expect, it } from "vitest";
import { TestdataMissingError, testdataPath, testdataRoot } from "./index";

describe("testdata", () => {
  const saved = process.env.EDGEPROM_TESTDATA;
  afterEach(() => {
    if (saved === undefined) delete process.env.EDGEPROM_TESTDATA;
    else process.env.EDGEPROM_TESTDATA = saved;
  });

  it("finds the shared folder beside the repository", () => {
    expect(testdataPath("promql", "FORMAT.md")).toMatch(/promql\/FORMAT\.md$/);
  });

  it("stops with the upstream repositories to fetch when the folder is missing", () => {
    process.env.EDGEPROM_TESTDATA = "/nonexistent/testdata";
    expect(() => testdataRoot()).toThrow(TestdataMissingError);
    expect(() => testdataRoot()).toThrow(/github\.com\/prometheus\/prometheus d15adb9ad/);
  });
});
