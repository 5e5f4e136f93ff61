import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    // `npm run dev -w @edgeprom/web` serves the UI with hot reload against a running `npm run dev`.
    proxy: { "/api": "http://127.0.0.1:8787", "/-": "http://127.0.0.1:8787" },
  },
});
