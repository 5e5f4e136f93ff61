import { describe, expect, it } from "vitest";
import { decodeMetaJson, encodeMetaJson, type BlockMeta } from "./meta";

describe("meta.json", () => {
  it("serialises like Go's json.MarshalIndent with tabs, optional fields only when set", () => {
    const meta: BlockMeta = {
      ulid: "01M89NWNZ3M0K9C309BGM90PG4",
      minTime: 1700000000000,
      maxTime: 1700021600000,
      stats: { numSamples: 10, numSeries: 2, numChunks: 3, numTombstones: 1 },
      compaction: {
        level: 2,
        sources: ["01M89NWNZ3M0K9C309BGM90PG0", "01M89NWNZ3M0K9C309BGM90PG1"],
        parents: [{ ulid: "01M89NWNZ3M0K9C309BGM90PG0", minTime: 1700000000000, maxTime: 1700007200000 }],
      },
      version: 1,
    };
    expect(encodeMetaJson(meta)).toBe(
      [
        "{",
        '\t"ulid": "01M89NWNZ3M0K9C309BGM90PG4",',
        '\t"minTime": 1700000000000,',
        '\t"maxTime": 1700021600000,',
        '\t"stats": {',
        '\t\t"numSamples": 10,',
        '\t\t"numSeries": 2,',
        '\t\t"numChunks": 3,',
        '\t\t"numTombstones": 1',
        "\t},",
        '\t"compaction": {',
        '\t\t"level": 2,',
        '\t\t"sources": [',
        '\t\t\t"01M89NWNZ3M0K9C309BGM90PG0",',
        '\t\t\t"01M89NWNZ3M0K9C309BGM90PG1"',
        "\t\t],",
        '\t\t"parents": [',
        "\t\t\t{",
        '\t\t\t\t"ulid": "01M89NWNZ3M0K9C309BGM90PG0",',
        '\t\t\t\t"minTime": 1700000000000,',
        '\t\t\t\t"maxTime": 1700007200000',
        "\t\t\t}",
        "\t\t]",
        "\t},",
        '\t"version": 1',
        "}",
      ].join("\n"),
    );
    expect(decodeMetaJson(encodeMetaJson(meta))).toEqual(meta);
  });

  it("omits a zero tombstone count and rejects other versions", () => {
    const meta: BlockMeta = {
      ulid: "01M89NWNZ3M0K9C309BGM90PG4",
      minTime: 0,
      maxTime: 1,
      stats: { numSamples: 1, numSeries: 1, numChunks: 1, numTombstones: 0 },
      compaction: { level: 1, sources: ["01M89NWNZ3M0K9C309BGM90PG4"] },
      version: 1,
    };
    expect(encodeMetaJson(meta)).not.toContain("numTombstones");
    expect(() => decodeMetaJson('{"ulid":"x","minTime":0,"maxTime":1,"stats":{},"compaction":{},"version":2}')).toThrow(
      /version 2/,
    );
  });
});
