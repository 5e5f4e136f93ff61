export { alertingApp } from "./app";
