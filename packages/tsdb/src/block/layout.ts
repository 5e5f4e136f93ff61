/**
 * Where a shard's blocks live in the bucket:
 *
 *   blocks/<shard>/catalog.json                 the blocks the shard reads (written last on upload, first on delete)
 *   blocks/<shard>/<ulid>/meta.json             Prometheus's block layout below the shard prefix, so
 *   blocks/<shard>/<ulid>/index                 `rclone copy`ing one prefix gives a directory Prometheus,
 *   blocks/<shard>/<ulid>/chunks/000001 ...     promtool or Thanos can open
 *   blocks/<shard>/<ulid>/tombstones
 */
export const BLOCKS_PREFIX = "blocks/";

export function shardPrefix(shard: string): string {
  if (shard === "" || shard.includes("/")) throw new RangeError(`bad shard name ${JSON.stringify(shard)}`);
  return `${BLOCKS_PREFIX}${shard}/`;
}

export function catalogKey(shard: string): string {
  return `${shardPrefix(shard)}catalog.json`;
}

export function blockPrefix(shard: string, ulid: string): string {
  return `${shardPrefix(shard)}${ulid}/`;
}

/** Key of a block file named as in a block directory (`index`, `chunks/000001`, ...). */
export function blockFileKey(shard: string, ulid: string, file: string): string {
  return `${blockPrefix(shard, ulid)}${file}`;
}
