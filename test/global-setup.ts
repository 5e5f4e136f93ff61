import type { TestProject } from "vitest/node";
import { startDevServer } from "./dev-server";

declare module "vitest" {
  export interface ProvidedContext {
    devServerUrl: string;
    devServerStartupMs: number;
  }
}

/**
 * One `npm run dev` for all end-to-end tests, on the documented port 8787 (where the default configuration scrapes
 * edgeprom itself); it must be healthy within 60 seconds.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startDevServer({ timeoutMs: 60_000, port: 8787 });
  project.provide("devServerUrl", server.url);
  project.provide("devServerStartupMs", server.startupMs);
  return () => server.stop();
}
