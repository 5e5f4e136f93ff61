import { Hono } from "hono";
import { requireAuth } from "@edgeprom/http";
import { otlpMetricsHandler } from "./http/otlp";
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

ingestApp.post("/api/v1/write", remoteWriteHandler);
ingestApp.post("/api/v1/otlp/v1/metrics", otlpMetricsHandler);
