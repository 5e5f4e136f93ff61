import { Hono } from "hono";
import { requireAuth } from "@edgeprom/http";

type AlertingEnv = { Bindings: Env };

/** Rules and the Alertmanager API (`/api/v2/*`), all behind the read credential. */
export const alertingApp = new Hono<AlertingEnv>();

alertingApp.use("/api/v2/*", requireAuth("read"));
