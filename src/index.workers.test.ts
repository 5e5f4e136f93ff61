import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const LOOPBACK = { "CF-Connecting-IP": "127.0.0.1" };

describe("the Worker", () => {
  it("answers the health endpoints without credentials", async () => {
    const healthy = await SELF.fetch("http://edgeprom.test/-/healthy", {
      headers: { "CF-Connecting-IP": "198.51.100.1" },
    });
    expect(healthy.status).toBe(200);
    expect(await healthy.text()).toBe("edgeprom is Healthy.\n");
    const ready = await SELF.fetch("http://edgeprom.test/-/ready");
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe("edgeprom is Ready.\n");
    const head = await SELF.fetch("http://edgeprom.test/-/healthy", { method: "HEAD" });
    expect(head.status).toBe(200);
  });

  it("serves buildinfo in Prometheus's shape to a loopback client of the dev server", async () => {
    const res = await SELF.fetch("http://edgeprom.test/api/v1/status/buildinfo", { headers: LOOPBACK });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; data: Record<string, string> };
    expect(body.status).toBe("success");
    expect(Object.keys(body.data).sort()).toEqual(
      ["branch", "buildDate", "buildUser", "goVersion", "revision", "version"].sort(),
    );
    expect(body.data.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("refuses an unauthenticated request from a non-loopback client", async () => {
    for (const path of ["/api/v1/status/buildinfo", "/api/v1/write", "/metrics/job/batch", "/api/v2/alerts"]) {
      const res = await SELF.fetch(`http://edgeprom.test${path}`, { headers: { "CF-Connecting-IP": "203.0.113.9" } });
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { errorType: string }).errorType, path).toBe("unauthorized");
    }
  });

  it("answers unknown API paths with the error envelope and other paths with the web UI", async () => {
    const api = await SELF.fetch("http://edgeprom.test/api/v1/no-such-endpoint", { headers: LOOPBACK });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({
      status: "error",
      errorType: "not_found",
      error: "no such endpoint: GET /api/v1/no-such-endpoint",
    });
    const page = await SELF.fetch("http://edgeprom.test/targets", {
      headers: { Accept: "text/html", "Sec-Fetch-Mode": "navigate" },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
  });
});
