// Prometheus's stale marker, from PromQL's one definition (scrape code has always imported it from here).
export { isStaleNaN, STALE_NAN } from "@edgeprom/promql/stale-nan";
