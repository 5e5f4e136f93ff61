import type { TestProject } from "vitest/node";
import { startDevServer } from "./dev-server";

declare module "vitest" {
  export interface ProvidedContext {
    devServerUrl: string;
    devServerStartupMs: number;
  }
}

/** One `npm run dev` for all end-to-end tests; it must be healthy within 60 seconds. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startDevServer({ timeoutMs: 60_000 });
  project.provide("devServerUrl", server.url);
  project.provide("devServerStartupMs", server.startupMs);
  return () => server.stop();
}
