import { Hono } from "hono";
import { apiErrorHandler, apiNotFoundHandler } from "@edgeprom/http";
import { ingestApp, reconcileIngest } from "@edgeprom/ingest";
import { queryApp } from "@edgeprom/query";
import { alertingApp } from "@edgeprom/alerting";

export { ExemplarStore, MetricMetadataStore, SeriesShard } from "@edgeprom/tsdb/do";
export { Pushgateway } from "@edgeprom/ingest";

/**
 * The one Worker: mounts the three apps on the same paths Prometheus, the Pushgateway and Alertmanager use, and
 * leaves everything else to the static web UI.
 */
const app = new Hono<{ Bindings: Env }>();
app.route("/", ingestApp);
app.route("/", queryApp);
app.route("/", alertingApp);
app.notFound((c) => (isApiPath(c.req.path) ? apiNotFoundHandler(c) : c.env.ASSETS.fetch(c.req.raw)));
app.onError(apiErrorHandler);

function isApiPath(path: string): boolean {
  return path.startsWith("/api/") || path.startsWith("/-/");
}

export default {
  fetch: app.fetch,
  /** Every minute: restart any cadence whose Durable Object alarm stopped. The cadences themselves run on alarms. */
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      reconcileIngest(env).then((restarted) => {
        if (restarted.length > 0) console.log(`cron reconciliation restarted: ${restarted.join(", ")}`);
      }),
    );
  },
} satisfies ExportedHandler<Env>;
