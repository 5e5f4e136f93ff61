export { SeriesShard, ShardStartError, type SeriesShardEnv, type ShardStatus } from "./series-shard";
export { SqliteShardStorage } from "./sqlite-shard-storage";
export { MetricMetadataStore } from "./metadata-store";
export { ExemplarStore } from "./exemplar-store";
