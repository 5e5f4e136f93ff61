import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Three kinds of test, one `npm test`: pure logic in Node, Workers code inside workerd with real Durable Objects and
// R2, and end-to-end tests that start `npm run dev` and drive a real browser. Which runtime a test file gets:
//   packages/*/src/**/*.test.ts        Node (except under src/do/ and *.workers.test.ts)
//   workers/*/src/**/*.node.test.ts    Node (pure parsers and encoders that live in a worker package)
//   everything else under src/, workers/*/src, packages/*/src/do, and *.workers.test.ts: workerd
export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["packages/*/src/**/*.test.ts", "workers/*/src/**/*.node.test.ts"],
          exclude: ["packages/*/src/do/**", "**/*.workers.test.ts", "**/node_modules/**"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            main: "./src/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: { EDGEPROM_DEV: "1", EDGEPROM_AUTOSTART: "false" } },
          }),
        ],
        test: {
          name: "workers",
          // Durable Object start-up and RPC share two cores with everything else in CI: time limits are generous.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          include: [
            "src/**/*.test.ts",
            "workers/*/src/**/*.test.ts",
            "packages/*/src/**/*.workers.test.ts",
            "packages/*/src/do/**/*.test.ts",
          ],
          exclude: ["**/*.node.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/**/*.test.ts"],
          globalSetup: ["./test/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
