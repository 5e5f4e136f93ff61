import { BlockFormatError } from "./errors";
import { decodeMetaJson, encodeMetaJson, type BlockMeta } from "./meta";

/** One block as the catalog records it: its meta and the sizes of its files, so reads need no HEAD request. */
export interface CatalogEntry {
  readonly meta: BlockMeta;
  readonly indexSize: number;
  readonly segmentSizes: readonly number[];
  readonly tombstonesSize: number;
}

/** The blocks one shard reads, sorted by minTime then ULID. */
export interface Catalog {
  readonly version: 1;
  readonly blocks: readonly CatalogEntry[];
}

export const EMPTY_CATALOG: Catalog = { version: 1, blocks: [] };

export function encodeCatalog(catalog: Catalog): Uint8Array {
  const blocks = catalog.blocks.map((b) => ({
    meta: JSON.parse(encodeMetaJson(b.meta)) as unknown,
    indexSize: b.indexSize,
    segmentSizes: b.segmentSizes,
    tombstonesSize: b.tombstonesSize,
  }));
  return new TextEncoder().encode(JSON.stringify({ version: 1, blocks }));
}

export function decodeCatalog(bytes: Uint8Array): Catalog {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new BlockFormatError(`catalog.json: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || (parsed as { version?: unknown }).version !== 1) {
    throw new BlockFormatError("catalog.json: not a version 1 catalog");
  }
  const blocks = (parsed as { blocks?: unknown }).blocks;
  if (!Array.isArray(blocks)) throw new BlockFormatError("catalog.json: blocks missing");
  return {
    version: 1,
    blocks: sortEntries(
      blocks.map((b: { meta: unknown; indexSize: unknown; segmentSizes: unknown; tombstonesSize: unknown }) => {
        if (typeof b.indexSize !== "number" || !Array.isArray(b.segmentSizes) || typeof b.tombstonesSize !== "number") {
          throw new BlockFormatError("catalog.json: entry without file sizes");
        }
        return {
          meta: decodeMetaJson(JSON.stringify(b.meta)),
          indexSize: b.indexSize,
          segmentSizes: b.segmentSizes.map(Number),
          tombstonesSize: b.tombstonesSize,
        };
      }),
    ),
  };
}

export function sortEntries(entries: readonly CatalogEntry[]): CatalogEntry[] {
  return [...entries].sort((a, b) => a.meta.minTime - b.meta.minTime || (a.meta.ulid < b.meta.ulid ? -1 : 1));
}

/** Total bytes of a block in the store (meta.json not counted). */
export function entryBytes(entry: CatalogEntry): number {
  return entry.indexSize + entry.segmentSizes.reduce((a, b) => a + b, 0) + entry.tombstonesSize;
}
