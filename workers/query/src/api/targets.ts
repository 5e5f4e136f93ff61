import type { Context } from "hono";
import { successBody } from "@edgeprom/http";
import { compileMatchers } from "@edgeprom/tsdb";
import { parseSeriesSelector } from "./metadata";
import { parseLimitParam, RequestParams } from "./params";

type Labels = readonly { name: string; value: string }[];

function labelObject(labels: Labels): Record<string, string> {
  return Object.fromEntries(labels.map((l) => [l.name, l.value]));
}

/** Milliseconds as Prometheus's duration text (`15s`, `1m`, `1m30s`). */
function durationText(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 60_000) return `${Math.floor(ms / 60_000)}m${(ms % 60_000) / 1000}s`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function scraper(env: Env) {
  return env.SCRAPER.get(env.SCRAPER.idFromName("default"));
}

/** `GET /api/v1/targets?state=active|dropped|any&scrapePool=` in Prometheus's shape. */
export async function targetsHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  const state = params.get("state") ?? "any";
  const pool = params.get("scrapePool");
  const targets = await scraper(c.env).targets();
  const inPool = <T extends { scrapePool: string }>(t: T) => pool === undefined || pool === "" || t.scrapePool === pool;
  const droppedTargetCounts: Record<string, number> = {};
  for (const t of targets.dropped) droppedTargetCounts[t.scrapePool] = (droppedTargetCounts[t.scrapePool] ?? 0) + 1;
  return c.json(
    successBody({
      activeTargets:
        state === "dropped"
          ? []
          : targets.active.filter(inPool).map((t) => ({
              discoveredLabels: labelObject(t.discoveredLabels),
              labels: labelObject(t.labels),
              scrapePool: t.scrapePool,
              scrapeUrl: t.scrapeUrl,
              globalUrl: t.scrapeUrl,
              lastError: t.lastError,
              lastScrape: t.lastScrape === undefined ? "0001-01-01T00:00:00Z" : new Date(t.lastScrape).toISOString(),
              lastScrapeDuration: t.lastScrapeDuration,
              health: t.health,
              scrapeInterval: durationText(t.scrapeInterval),
              scrapeTimeout: durationText(t.scrapeTimeout),
            })),
      droppedTargets:
        state === "active"
          ? []
          : targets.dropped
              .filter(inPool)
              .map((t) => ({ discoveredLabels: labelObject(t.discoveredLabels), scrapePool: t.scrapePool })),
      droppedTargetCounts,
    }),
  );
}

/** `GET /api/v1/scrape_pools` */
export async function scrapePoolsHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
  return c.json(successBody({ scrapePools: await scraper(c.env).scrapePools() }));
}

/** `GET /api/v1/status/config`: the configuration file as loaded. */
export async function configHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
  return c.json(successBody({ yaml: (await scraper(c.env).configStatus()).yaml }));
}

/** `GET /api/v1/targets/metadata?match_target=&metric=&limit=`: metric metadata per target, from its last scrape. */
export async function targetsMetadataHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  const matchTarget = params.get("match_target");
  const matchers = matchTarget ? parseSeriesSelector(matchTarget) : [];
  const metric = params.get("metric");
  const limit = parseLimitParam("limit", params.get("limit"));
  const compiled = compileMatchers(matchers);
  const out: { target: Record<string, string>; metric: string; type: string; help: string; unit: string }[] = [];
  for (const target of await scraper(c.env).targetMetadata()) {
    const labels = labelObject(target.labels);
    if (!compiled.every((m) => m.matches(labels[m.name] ?? ""))) continue;
    for (const m of target.metadata) {
      if (metric && m.metric !== metric) continue;
      if (limit > 0 && out.length >= limit) break;
      out.push({ target: labels, metric: m.metric, type: m.type, help: m.help, unit: m.unit });
    }
  }
  return c.json(successBody(out));
}
