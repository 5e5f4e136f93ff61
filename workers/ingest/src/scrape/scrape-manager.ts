import type { AppendBatch, SeriesAppend } from "@edgeprom/tsdb";
import type { EdgepromConfig, ScrapeConfig } from "../config";
import { RelabelRegex } from "../relabel";
import {
  ScrapePool,
  type DiscoveryStatus,
  type ScrapePoolDependencies,
  type ScrapePoolSnapshot,
  type ScrapeRun,
  type TargetMetadata,
  type TargetStatus,
} from "./scrape-pool";
import type { DroppedTarget, InvalidTarget } from "./target";

/** A manager's state as plain JSON data, per job. */
export type ScrapeManagerSnapshot = Readonly<
  Record<string, { readonly fingerprint: string; readonly pool: ScrapePoolSnapshot }>
>;

/** Identifies a scrape config's content, so that an unchanged job keeps its pool across configuration loads. */
export function scrapeConfigFingerprint(config: ScrapeConfig): string {
  return JSON.stringify(config, (_, value: unknown) => {
    if (value instanceof RelabelRegex) return value.source;
    if (value instanceof Map) return [...value];
    return value;
  });
}

/**
 * Every scrape config of an `edgeprom.yml`, one ScrapePool each (Prometheus's scrape manager): `applyConfig`
 * starts, keeps, updates and stops pools; `run(now)` runs them all and returns one batch; `nextWakeup()` is the
 * earliest time any pool has work.
 */
export class ScrapeManager {
  private readonly pools = new Map<string, { fingerprint: string; pool: ScrapePool }>();

  constructor(private readonly deps: ScrapePoolDependencies) {}

  /**
   * Applies a (re)loaded configuration. An unchanged job keeps its pool. A changed job continues from its old
   * pool's state (discovered targets, schedules, staleness of targets whose identity did not change). A removed job
   * returns stale markers for everything it wrote, to be stored.
   */
  applyConfig(config: EdgepromConfig, now: number): AppendBatch {
    const stale: SeriesAppend[] = [];
    const jobs = new Map(config.scrapeConfigs.map((job) => [job.jobName, job]));
    for (const [name, entry] of this.pools) {
      if (jobs.has(name)) continue;
      stale.push(...entry.pool.stop(now));
      this.pools.delete(name);
    }
    for (const job of config.scrapeConfigs) {
      const fingerprint = scrapeConfigFingerprint(job);
      const existing = this.pools.get(job.jobName);
      if (existing?.fingerprint === fingerprint) continue;
      const pool = existing
        ? ScrapePool.restore(job, this.deps, existing.pool.snapshot(), now)
        : new ScrapePool(job, this.deps);
      this.pools.set(job.jobName, { fingerprint, pool });
    }
    return stale;
  }

  async run(now: number): Promise<ScrapeRun> {
    const runs = await Promise.all([...this.pools.values()].map(({ pool }) => pool.run(now)));
    return {
      batch: runs.flatMap((run) => run.batch),
      metadata: runs.flatMap((run) => run.metadata),
      scrapes: runs.reduce((total, run) => total + run.scrapes, 0),
      discoveryErrors: runs.flatMap((run) => run.discoveryErrors),
    };
  }

  nextWakeup(): number {
    let next = Infinity;
    for (const { pool } of this.pools.values()) next = Math.min(next, pool.nextWakeup());
    return next;
  }

  /** What /api/v1/targets lists, over every job. */
  targets(): {
    active: TargetStatus[];
    dropped: (DroppedTarget & { scrapePool: string })[];
    invalid: (InvalidTarget & { scrapePool: string })[];
  } {
    const active: TargetStatus[] = [];
    const dropped: (DroppedTarget & { scrapePool: string })[] = [];
    const invalid: (InvalidTarget & { scrapePool: string })[] = [];
    for (const [name, { pool }] of this.pools) {
      const targets = pool.targets();
      active.push(...targets.active);
      dropped.push(...targets.dropped.map((target) => ({ ...target, scrapePool: name })));
      invalid.push(...targets.invalid.map((target) => ({ ...target, scrapePool: name })));
    }
    return { active, dropped, invalid };
  }

  targetMetadata(): TargetMetadata[] {
    return [...this.pools.values()].flatMap(({ pool }) => pool.targetMetadata());
  }

  discoveryStatus(): (DiscoveryStatus & { scrapePool: string })[] {
    return [...this.pools].flatMap(([name, { pool }]) =>
      pool.discoveryStatus().map((status) => ({ ...status, scrapePool: name })),
    );
  }

  snapshot(): ScrapeManagerSnapshot {
    const out: Record<string, { fingerprint: string; pool: ScrapePoolSnapshot }> = {};
    for (const [name, { fingerprint, pool }] of this.pools) out[name] = { fingerprint, pool: pool.snapshot() };
    return out;
  }

  /** A manager continuing from a snapshot, under a configuration that may have changed since. */
  static restore(
    config: EdgepromConfig,
    deps: ScrapePoolDependencies,
    snapshot: ScrapeManagerSnapshot,
    now: number,
  ): ScrapeManager {
    const manager = new ScrapeManager(deps);
    for (const job of config.scrapeConfigs) {
      const saved = Object.hasOwn(snapshot, job.jobName) ? snapshot[job.jobName] : undefined;
      const pool = saved ? ScrapePool.restore(job, deps, saved.pool, now) : new ScrapePool(job, deps);
      manager.pools.set(job.jobName, { fingerprint: scrapeConfigFingerprint(job), pool });
    }
    return manager;
  }
}
