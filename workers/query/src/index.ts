export { queryApp } from "./app";
