export { ingestApp } from "./app";
export { Pushgateway } from "./pushgateway/pushgateway-do";
export { reconcileIngest } from "./reconcile";
