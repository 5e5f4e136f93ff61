export { ingestApp } from "./app";
