import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser";
import { portIsFree, startDevServer } from "./dev-server";

const url = inject("devServerUrl");

describe("npm run dev", () => {
  it("answered /-/healthy within 60 seconds", () => {
    expect(inject("devServerStartupMs")).toBeLessThan(60_000);
  });

  it("serves the API with Prometheus's envelope", async () => {
    const res = await fetch(`${url}/api/v1/status/buildinfo`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; data: { version: string; revision: string } };
    expect(body.status).toBe("success");
    expect(body.data.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("scrapes its own /metrics by itself, so a fresh server has live data within a minute", async () => {
    const query = `${url}/api/v1/query?query=${encodeURIComponent('up{job="edgeprom"}')}`;
    let values: string[] = [];
    for (const started = Date.now(); Date.now() - started < 60_000;) {
      const body = (await (await fetch(query)).json()) as { data: { result: { value: [number, string] }[] } };
      values = body.data.result.map((r) => r.value[1]);
      if (values.includes("1")) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(values).toEqual(["1"]);
    const series = (await (
      await fetch(`${url}/api/v1/query?query=${encodeURIComponent('edgeprom_tsdb_head_series{job="edgeprom"}')}`)
    ).json()) as { data: { result: unknown[] } };
    expect(series.data.result.length).toBeGreaterThan(0);
    const targetMetadata = (await (
      await fetch(
        `${url}/api/v1/targets/metadata?match_target=${encodeURIComponent('{job="edgeprom"}')}&metric=edgeprom_tsdb_head_series`,
      )
    ).json()) as { data: { target: Record<string, string>; type: string }[] };
    expect(targetMetadata.data).toEqual([
      expect.objectContaining({ target: { instance: "127.0.0.1:8787", job: "edgeprom" }, type: "gauge" }),
    ]);
    const metadata = (await (await fetch(`${url}/api/v1/metadata?metric=edgeprom_tsdb_head_series`)).json()) as {
      data: Record<string, { type: string }[]>;
    };
    expect(metadata.data.edgeprom_tsdb_head_series?.[0]?.type).toBe("gauge");
  });

  it("stops wrangler and workerd, freeing its port, when its terminal hangs up", async () => {
    const second = await startDevServer({ skipBuild: true, timeoutMs: 120_000 });
    const port = Number(new URL(second.url).port);
    try {
      expect(await portIsFree(port)).toBe(false);
      second.signal("SIGHUP");
      let free = false;
      for (const started = Date.now(); !free && Date.now() - started < 20_000;) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        free = await portIsFree(port);
      }
      expect(free).toBe(true);
    } finally {
      await second.stop();
    }
  }, 180_000);

  describe("in a real browser", () => {
    let browser: Awaited<ReturnType<typeof launchBrowser>>;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("loads the SPA and renders the live build info on the Status page", async () => {
      const page = await browser.context.newPage();
      await page.goto(`${url}/`);
      await page.getByRole("link", { name: "Status" }).click();
      const table = page.getByTestId("buildinfo");
      await table.waitFor();
      const api = (await (await fetch(`${url}/api/v1/status/buildinfo`)).json()) as {
        data: { version: string; revision: string };
      };
      const text = await table.innerText();
      expect(text).toContain(api.data.version);
      expect(text).toContain(api.data.revision);
      expect(page.url()).toBe(`${url}/status`);
    });

    it("serves deep links and says plainly which pages are not built yet", async () => {
      const page = await browser.context.newPage();
      await page.goto(`${url}/silences`);
      await expect(page.getByRole("heading", { name: "Silences" }).isVisible()).resolves.toBe(true);
      expect(await page.getByText("This page is not built yet.").isVisible()).toBe(true);
    });
  });
});
