import { Hono } from "hono";
import { apiErrorHandler, apiNotFoundHandler } from "@edgeprom/http";
import { ingestApp, reconcileIngest } from "@edgeprom/ingest";
import { queryApp } from "@edgeprom/query";
import { alertingApp } from "@edgeprom/alerting";

export { ExemplarStore, MetricMetadataStore, SeriesShard } from "@edgeprom/tsdb/do";
export { Pushgateway, Scraper } from "@edgeprom/ingest";

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

/** Per isolate: whether this isolate already made sure the alarm-driven cadences (scraping, pushes) are running. */
let cadencesChecked = false;

export default {
  /**
   * The first request an isolate serves also starts any stopped cadence, so that `npm run dev` (where cron never
   * fires) scrapes on its own from the first page view. `EDGEPROM_AUTOSTART=false` leaves it to the cron trigger.
   */
  fetch(request, env, ctx) {
    if (!cadencesChecked && env.EDGEPROM_AUTOSTART !== "false") {
      cadencesChecked = true;
      ctx.waitUntil(reconcileIngest(env).catch((err: unknown) => console.error("starting cadences failed:", err)));
    }
    return app.fetch(request, env, ctx);
  },
  /** Every minute: restart any cadence whose Durable Object alarm stopped. The cadences themselves run on alarms. */
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      reconcileIngest(env).then((restarted) => {
        if (restarted.length > 0) console.log(`cron reconciliation restarted: ${restarted.join(", ")}`);
      }),
    );
  },
} satisfies ExportedHandler<Env>;
