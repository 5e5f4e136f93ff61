import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { apiErrorHandler } from "./envelope";
import { presentedToken, requireAuth, type AuthBindings } from "./auth";

function appWith(): Hono<{ Bindings: AuthBindings }> {
  const app = new Hono<{ Bindings: AuthBindings }>();
  app.use("/read", requireAuth("read"));
  app.use("/write", requireAuth("write"));
  app.use("/admin", requireAuth("admin"));
  for (const path of ["/read", "/write", "/admin"]) app.get(path, (c) => c.text("ok"));
  app.onError(apiErrorHandler);
  return app;
}

const SECRETS: AuthBindings = {
  EDGEPROM_READ_TOKEN: "read-secret",
  EDGEPROM_WRITE_TOKEN: "write-secret",
  EDGEPROM_ADMIN_TOKEN: "admin-secret",
};

const LOOPBACK = { "CF-Connecting-IP": "127.0.0.1" };
const REMOTE = { "CF-Connecting-IP": "203.0.113.7" };

function basic(user: string, password: string): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

describe("requireAuth", () => {
  it("accepts the scope's bearer token", async () => {
    const res = await appWith().request(
      "/read",
      { headers: { Authorization: "Bearer read-secret", ...REMOTE } },
      SECRETS,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  it("accepts the token as the basic auth password, whatever the user name", async () => {
    const res = await appWith().request(
      "/write",
      { headers: { Authorization: basic("prometheus", "write-secret") } },
      SECRETS,
    );
    expect(res.status).toBe(200);
  });

  it("lets the admin credential do everything", async () => {
    for (const path of ["/read", "/write", "/admin"]) {
      const res = await appWith().request(path, { headers: { Authorization: "Bearer admin-secret" } }, SECRETS);
      expect(res.status, path).toBe(200);
    }
  });

  it("answers 401 with a challenge and the error envelope when no credential is sent", async () => {
    const res = await appWith().request("/read", { headers: REMOTE }, SECRETS);
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect(await res.json()).toEqual({
      status: "error",
      errorType: "unauthorized",
      error: "authentication required: send a bearer token or basic auth",
    });
  });

  it("answers 401 for a wrong token and 403 for another scope's token", async () => {
    const wrong = await appWith().request("/read", { headers: { Authorization: "Bearer nope" } }, SECRETS);
    expect(wrong.status).toBe(401);
    const otherScope = await appWith().request("/read", { headers: { Authorization: "Bearer write-secret" } }, SECRETS);
    expect(otherScope.status).toBe(403);
    expect(((await otherScope.json()) as { errorType: string }).errorType).toBe("forbidden");
  });

  it("still requires a credential from loopback once one is configured", async () => {
    const res = await appWith().request("/read", { headers: LOOPBACK }, { ...SECRETS, EDGEPROM_DEV: "1" });
    expect(res.status).toBe(401);
  });

  it("serves loopback clients of a dev server with no credential configured, and refuses the rest", async () => {
    const dev: AuthBindings = { EDGEPROM_DEV: "1" };
    expect((await appWith().request("/write", { headers: LOOPBACK }, dev)).status).toBe(200);
    expect((await appWith().request("/write", { headers: { "CF-Connecting-IP": "::1" } }, dev)).status).toBe(200);
    const remote = await appWith().request("/write", { headers: REMOTE }, dev);
    expect(remote.status).toBe(401);
    expect(((await remote.json()) as { error: string }).error).toContain("EDGEPROM_WRITE_TOKEN");
    // Without the client address header, nothing proves the client is local.
    expect((await appWith().request("/write", {}, dev)).status).toBe(401);
  });

  it("tells a deployed Worker with no credential which secret to put", async () => {
    const res = await appWith().request("/admin", { headers: LOOPBACK }, {});
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe(
      "no credential is configured for admin access: run `npx wrangler secret put EDGEPROM_ADMIN_TOKEN`",
    );
  });
});

describe("presentedToken", () => {
  it("reads bearer tokens and basic passwords and rejects the rest", () => {
    expect(presentedToken("Bearer abc")).toBe("abc");
    expect(presentedToken("bearer abc")).toBe("abc");
    expect(presentedToken(basic("u", "p:with:colons"))).toBe("p:with:colons");
    expect(presentedToken("Basic !!!notbase64")).toBeUndefined();
    expect(presentedToken(`Basic ${btoa("no-colon")}`)).toBeUndefined();
    expect(presentedToken("Digest abc")).toBeUndefined();
    expect(presentedToken("Bearer ")).toBeUndefined();
    expect(presentedToken(undefined)).toBeUndefined();
  });
});
