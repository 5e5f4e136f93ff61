// Node-only test and benchmark support: blocks on the local filesystem, as Prometheus and promtool keep them.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { BlockSource } from "../block-reader";
import type { WrittenBlock } from "../block-writer";
import { decodeMetaJson } from "../meta";
import { BytesRangeReader } from "../range-reader";

/** Writes a block's files under `<dir>/<ulid>/` and returns that directory. */
export function writeBlockDirectory(dir: string, block: WrittenBlock): string {
  const blockDir = join(dir, block.meta.ulid);
  for (const file of block.files) {
    const path = join(blockDir, file.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.bytes);
  }
  return blockDir;
}

/** The ULIDs of the block directories under a TSDB directory, sorted. */
export function listBlockDirectories(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, "meta.json")))
    .sort();
}

/** A block directory as a BlockSource backed by its files' bytes. */
export function blockSourceFromDirectory(blockDir: string): BlockSource & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  files.set("meta.json", readFileSync(join(blockDir, "meta.json")));
  files.set("index", readFileSync(join(blockDir, "index")));
  const segmentNames = readdirSync(join(blockDir, "chunks")).sort();
  for (const name of segmentNames) files.set(`chunks/${name}`, readFileSync(join(blockDir, "chunks", name)));
  const tombstonesPath = join(blockDir, "tombstones");
  const tombstones = existsSync(tombstonesPath) ? readFileSync(tombstonesPath) : null;
  if (tombstones) files.set("tombstones", tombstones);
  return {
    files,
    meta: decodeMetaJson(new TextDecoder().decode(files.get("meta.json"))),
    index: new BytesRangeReader(files.get("index") as Uint8Array),
    segments: segmentNames.map((name) => new BytesRangeReader(files.get(`chunks/${name}`) as Uint8Array)),
    tombstones,
  };
}
