import { Hono } from "hono";
import { ApiError, buildInfo, requireAuth, success } from "@edgeprom/http";

type QueryEnv = { Bindings: Env };

/** Health and status endpoints, and (as they are built) the Prometheus HTTP API v1 query paths. */
export const queryApp = new Hono<QueryEnv>();

queryApp.on(["GET", "HEAD"], "/-/healthy", (c) => c.text("edgeprom is Healthy.\n"));

queryApp.on(["GET", "HEAD"], "/-/ready", async (c) => {
  try {
    const shard = c.env.SERIES_SHARD.get(c.env.SERIES_SHARD.idFromName("shard-0"));
    await shard.status();
  } catch (err) {
    throw new ApiError("unavailable", `storage is not ready: ${err instanceof Error ? err.message : String(err)}`);
  }
  return c.text("edgeprom is Ready.\n");
});

queryApp.use("/api/v1/status/*", requireAuth("read"));
queryApp.get("/api/v1/status/buildinfo", (c) => success(c, buildInfo(c.env)));
