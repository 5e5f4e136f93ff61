import { DurableObject } from "cloudflare:workers";
import { shardCountFrom, ShardedWriter, type AppendBatch } from "@edgeprom/tsdb";
import bundledConfigText from "../../../../edgeprom.yml";
import { loadConfig, type EdgepromConfig } from "../config/index";
import { ScrapeManager, type ScrapeManagerSnapshot } from "./scrape-manager";
import { recordMetadata } from "../write/metadata";
import type { TargetMetadata, TargetStatus } from "./scrape-pool";
import type { DroppedTarget } from "./target";

/** What `/api/v1/status/config` and `/api/v1/status/runtimeinfo` report about the configuration. */
export interface ConfigStatus {
  yaml: string;
  reloadConfigSuccess: boolean;
  lastConfigTime: number;
  error: string | null;
}

/** `/api/v1/targets` data as plain values (labels as sorted pairs). */
export interface TargetsStatus {
  active: TargetStatus[];
  dropped: (DroppedTarget & { scrapePool: string })[];
}

/**
 * Runs every scrape job of `edgeprom.yml` on this object's alarm, at each target's own offset within
 * its interval (the cron trigger only restarts it). The configuration is read on every wake-up: an invalid one is
 * refused with the field named and the previous one keeps running; the pools' state (targets, schedules, series for
 * staleness) is saved as JSON per job so a restart loses no stale marker.
 */
export class Scraper extends DurableObject<Env> {
  #manager: ScrapeManager | null = null;
  #appliedText: string | null = null;
  #status: ConfigStatus = { yaml: "", reloadConfigSuccess: true, lastConfigTime: 0, error: null };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS scrape_state (job TEXT PRIMARY KEY, snapshot TEXT NOT NULL)");
    });
  }

  /** Starts the scrape alarm if it is not running; returns whether it had to. */
  async ensureRunning(): Promise<boolean> {
    await this.#writeBatch(this.#applyConfig(Date.now()));
    if ((await this.ctx.storage.getAlarm()) !== null || !this.#manager) return false;
    await this.ctx.storage.setAlarm(Date.now());
    return true;
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    await this.#writeBatch(this.#applyConfig(now));
    if (!this.#manager) return;
    const run = await this.#manager.run(now);
    for (const e of run.discoveryErrors) console.warn(`discovery failed for ${e.provider}: ${e.error}`);
    await Promise.all([
      this.#writeBatch(run.batch),
      recordMetadata(
        this.env,
        run.metadata.map((m) => ({ metricFamilyName: m.metric, type: m.type as never, help: m.help, unit: m.unit })),
      ),
    ]);
    this.#saveState();
    const next = this.#manager.nextWakeup();
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }

  async targets(): Promise<TargetsStatus> {
    this.#applyConfig(Date.now());
    const targets = this.#manager?.targets() ?? { active: [], dropped: [] };
    return { active: targets.active, dropped: targets.dropped };
  }

  async targetMetadata(): Promise<TargetMetadata[]> {
    this.#applyConfig(Date.now());
    return this.#manager?.targetMetadata() ?? [];
  }

  async scrapePools(): Promise<string[]> {
    this.#applyConfig(Date.now());
    return Object.keys(this.#manager?.snapshot() ?? {}).sort();
  }

  async configStatus(): Promise<ConfigStatus> {
    this.#applyConfig(Date.now());
    return this.#status;
  }

  /**
   * The configuration: the Worker variable `EDGEPROM_CONFIG_YAML` when set (configuration kept outside the bundle,
   * and tests), else the bundled `edgeprom.yml`.
   */
  #configText(): string {
    return this.env.EDGEPROM_CONFIG_YAML || bundledConfigText;
  }

  /** Loads the configuration when it changed; returns the stale markers of jobs it removed. */
  #applyConfig(now: number): AppendBatch {
    const configText = this.#configText();
    if (this.#appliedText === configText && this.#manager) return [];
    let config: EdgepromConfig;
    try {
      config = loadConfig(configText, { env: this.env as unknown as Record<string, unknown> });
    } catch (err) {
      this.#appliedText = configText;
      this.#status = {
        ...this.#status,
        reloadConfigSuccess: false,
        error: err instanceof Error ? err.message : String(err),
      };
      console.error(`edgeprom.yml refused, the previous configuration keeps running: ${this.#status.error}`);
      return [];
    }
    const deps = {
      fetch: (url: string, init: RequestInit) => fetch(url, init),
      env: this.env as unknown as Record<string, unknown>,
      seed: this.ctx.id.toString(),
    };
    let stale: AppendBatch = [];
    if (this.#manager) stale = this.#manager.applyConfig(config, now);
    else this.#manager = ScrapeManager.restore(config, deps, this.#loadState(), now);
    this.#appliedText = configText;
    this.#status = { yaml: configText, reloadConfigSuccess: true, lastConfigTime: now, error: null };
    return stale;
  }

  #loadState(): ScrapeManagerSnapshot {
    const out: Record<string, ScrapeManagerSnapshot[string]> = {};
    for (const row of this.ctx.storage.sql.exec<{ job: string; snapshot: string }>(
      "SELECT job, snapshot FROM scrape_state",
    )) {
      out[row.job] = JSON.parse(row.snapshot) as ScrapeManagerSnapshot[string];
    }
    return out;
  }

  #saveState(): void {
    const snapshot = this.#manager?.snapshot() ?? {};
    this.ctx.storage.sql.exec(
      `DELETE FROM scrape_state WHERE job NOT IN (${
        Object.keys(snapshot)
          .map(() => "?")
          .join(", ") || "''"
      })`,
      ...Object.keys(snapshot),
    );
    for (const [job, state] of Object.entries(snapshot)) {
      this.ctx.storage.sql.exec(
        "INSERT INTO scrape_state (job, snapshot) VALUES (?, ?) ON CONFLICT(job) DO UPDATE SET snapshot = excluded.snapshot",
        job,
        JSON.stringify(state),
      );
    }
  }

  async #writeBatch(batch: AppendBatch): Promise<void> {
    if (batch.length === 0) return;
    await new ShardedWriter(this.env.SERIES_SHARD, shardCountFrom(this.env.EDGEPROM_SHARDS)).append(batch);
  }
}
