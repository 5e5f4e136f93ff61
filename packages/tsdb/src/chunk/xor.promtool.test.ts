import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datasetToOpenMetrics, generateDataset, type DatasetSeries } from "../../bench/dataset";
import { ChunkEncoding } from "./chunk";
import { decideChunkCut, DEFAULT_CHUNK_CUT_OPTIONS } from "./cut";
import { decodeXorChunk, newXorChunk } from "./xor";

// Prometheus is the judge of byte compatibility: promtool 2.42 (Debian package `prometheus`) builds blocks from
// the data set; every XOR chunk it wrote must decode to data set samples and re-encode to the very same bytes.
const PROMTOOL = "/usr/bin/promtool";

/** The chunks of a block's segment files: `uvarint len | encoding | data | crc32c` after an 8-byte header. */
function readSegmentChunks(file: Uint8Array): { encoding: number; data: Uint8Array }[] {
  const out: { encoding: number; data: Uint8Array }[] = [];
  expect(Buffer.from(file.subarray(0, 4)).toString("hex")).toBe("85bd40dd");
  let pos = 8;
  while (pos < file.length) {
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = file[pos++];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    const encoding = file[pos++];
    out.push({ encoding, data: file.subarray(pos, pos + len) });
    pos += len + 4;
  }
  return out;
}

function ourChunkSizes(dataset: readonly DatasetSeries[]): number[] {
  const sizes: number[] = [];
  for (const s of dataset) {
    let open: { minTime: number; maxTime: number; bytes: () => Uint8Array; n: number } | null = null;
    let nextAt = 0;
    let appender = newXorChunk();
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i];
      const facts = open && { ...open, numSamples: open.n, byteLength: open.bytes().length, kind: "float" as const };
      // promtool 2.42 predates the 1 KiB limit of float chunks.
      const decision = decideChunkCut(facts, t, nextAt, {
        ...DEFAULT_CHUNK_CUT_OPTIONS,
        maxBytesPerXorChunk: Infinity,
      });
      nextAt = decision.nextAt;
      if (decision.cut || open === null) {
        if (open) sizes.push(open.n);
        appender = newXorChunk();
        const chunk = appender.chunk;
        open = { minTime: t, maxTime: t, bytes: () => chunk.bytes(), n: 0 };
      }
      appender.appender.append(t, s.values[i]);
      open.maxTime = t;
      open.n++;
    }
    if (open) sizes.push(open.n);
  }
  return sizes.sort((a, b) => a - b);
}

describe("XOR chunks against Prometheus (promtool)", () => {
  let work = "";
  const dataset = generateDataset({ seed: 7, hosts: 2, samplesPerSeries: 700, jitterMs: 3, restartChance: 1 });
  const chunks: { encoding: number; data: Uint8Array }[] = [];

  beforeAll(() => {
    if (!existsSync(PROMTOOL)) throw new Error(`${PROMTOOL} is missing: install the Debian package prometheus`);
    work = mkdtempSync(join(tmpdir(), "edgeprom-xor-"));
    writeFileSync(join(work, "data.om"), datasetToOpenMetrics(dataset));
    execFileSync(
      PROMTOOL,
      ["tsdb", "create-blocks-from", "openmetrics", "--quiet", join(work, "data.om"), join(work, "db")],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    for (const block of readdirSync(join(work, "db"))) {
      const dir = join(work, "db", block, "chunks");
      if (!existsSync(dir)) continue;
      for (const segment of readdirSync(dir).sort())
        chunks.push(...readSegmentChunks(readFileSync(join(dir, segment))));
    }
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("decodes every chunk to the data set's samples and re-encodes it byte for byte", () => {
    const expected = new Set<string>();
    const bits = new Uint32Array(2);
    const f64 = new Float64Array(bits.buffer);
    const key = (t: number, v: number) => {
      f64[0] = v;
      return `${t}/${bits[1]}/${bits[0]}`;
    };
    let total = 0;
    let unknownSamples = 0;
    let differentChunks = 0;
    for (const s of dataset)
      for (let i = 0; i < s.timestamps.length; i++) expected.add(key(s.timestamps[i], s.values[i]));
    expect(chunks.length).toBeGreaterThan(100);
    for (const { encoding, data } of chunks) {
      expect(encoding).toBe(ChunkEncoding.XOR);
      const { timestamps, values } = decodeXorChunk(data);
      const { chunk, appender } = newXorChunk();
      for (let i = 0; i < timestamps.length; i++) {
        if (!expected.has(key(timestamps[i], values[i]))) unknownSamples++;
        appender.append(timestamps[i], values[i]);
      }
      if (!Buffer.from(chunk.bytes()).equals(Buffer.from(data))) differentChunks++;
      total += timestamps.length;
    }
    expect(unknownSamples).toBe(0);
    expect(differentChunks).toBe(0);
    expect(total).toBe(dataset.reduce((n, s) => n + s.timestamps.length, 0));
  }, 60_000);

  it("cuts chunks where Prometheus's head cuts them", () => {
    const theirs = chunks.map((c) => (c.data[0] << 8) | c.data[1]).sort((a, b) => a - b);
    expect(ourChunkSizes(dataset)).toEqual(theirs);
  }, 60_000);
});
