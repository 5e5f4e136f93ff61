export { SeriesShard, type ShardStatus } from "./series-shard";
