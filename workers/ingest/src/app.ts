import { Hono } from "hono";
import { requireAuth } from "@edgeprom/http";
import { otlpMetricsHandler } from "./http/otlp";
import { deleteGroupHandler, listGroupsHandler, pushHandler, wipeHandler } from "./http/pushgateway";
import { remoteWriteHandler } from "./http/remote-write";

type IngestEnv = { Bindings: Env };

/**
 * Every way metrics arrive: remote write, the Pushgateway API and OTLP. Each path needs the write credential
 * before anything is decoded.
 */
export const ingestApp = new Hono<IngestEnv>();

ingestApp.use("/api/v1/write", requireAuth("write"));
ingestApp.use("/api/v1/otlp/*", requireAuth("write"));
ingestApp.use("/metrics/job/*", requireAuth("write"));
ingestApp.use("/metrics/job@base64/*", requireAuth("write"));
ingestApp.use("/api/v1/metrics", requireAuth("read"));
ingestApp.use("/api/v1/admin/wipe", requireAuth("admin"));

ingestApp.post("/api/v1/write", remoteWriteHandler);
ingestApp.post("/api/v1/otlp/v1/metrics", otlpMetricsHandler);

for (const prefix of ["/metrics/job/*", "/metrics/job@base64/*"]) {
  ingestApp.on(["PUT", "POST"], prefix, pushHandler);
  ingestApp.delete(prefix, deleteGroupHandler);
}
ingestApp.get("/api/v1/metrics", listGroupsHandler);
ingestApp.put("/api/v1/admin/wipe", wipeHandler);
