export * from "./labels/index";
