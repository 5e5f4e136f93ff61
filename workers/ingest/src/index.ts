export { ingestApp } from "./app";
export { Pushgateway } from "./pushgateway/pushgateway-do";
