export { ingestApp } from "./app";
export { Pushgateway } from "./pushgateway/pushgateway-do";
export { reconcileIngest } from "./reconcile";
export { Scraper, type ConfigStatus, type TargetsStatus } from "./scrape/scraper-do";
