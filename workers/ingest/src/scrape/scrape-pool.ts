import type { AppendBatch, SeriesAppend } from "@edgeprom/tsdb";
import type { ScrapeConfig, SecretSource } from "../config";
import { discoveryProviders, type DiscoveryProvider } from "../discovery/providers";
import type { Fetcher } from "../discovery/fetcher";
import type { TargetGroup } from "../discovery/target-group";
import type { Label } from "../relabel";
import { scrapeOutcomeBatch } from "./outcome-batch";
import { alignScrapeTimestamp, nextScrapeTime, scrapeOffset } from "./schedule";
import { ScrapeLoopState, type StaleMarker } from "./scrape-loop";
import { scrapeTarget, type ScrapedMetadata, type ScrapeResponse } from "./scrape-request";
import { STALE_NAN } from "./stale-nan";
import { buildTargets, type DroppedTarget, type InvalidTarget, type ScrapeTarget } from "./target";

export interface ScrapePoolDependencies {
  readonly fetch: Fetcher;
  /** Worker secrets for `${SECRET}` references. */
  readonly env: SecretSource;
  /** Spreads this deployment's scrapes differently from another's (see scrapeOffset). */
  readonly seed: string;
  readonly userAgent?: string;
  /** The clock scrape durations are measured with; Date.now by default. */
  readonly now?: () => number;
}

/** What /api/v1/targets shows for an active target. */
export interface TargetStatus {
  readonly scrapePool: string;
  readonly labels: readonly Label[];
  readonly discoveredLabels: readonly Label[];
  readonly scrapeUrl: string;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
  /** Timestamp of the last scrape (ms), or undefined before the first. */
  readonly lastScrape: number | undefined;
  /** Seconds. */
  readonly lastScrapeDuration: number;
  /** Milliseconds. */
  readonly scrapeInterval: number;
  readonly scrapeTimeout: number;
  readonly nextScrape: number;
}

export interface DiscoveryStatus {
  readonly provider: string;
  readonly lastRefresh: number | undefined;
  readonly lastError: string | undefined;
}

/** One target's metric metadata from its last successful scrape. */
export interface TargetMetadata {
  readonly scrapePool: string;
  readonly labels: readonly Label[];
  readonly metadata: readonly ScrapedMetadata[];
}

/** Everything one run produced: one storage batch, and what went wrong where. */
export interface ScrapeRun {
  readonly batch: AppendBatch;
  /** Metadata of the targets scraped successfully in this run. */
  readonly metadata: readonly ScrapedMetadata[];
  readonly scrapes: number;
  readonly discoveryErrors: readonly { readonly provider: string; readonly error: string }[];
}

/** A pool's state as plain JSON data, to survive a Durable Object restart (see ScrapePool.snapshot). */
export interface ScrapePoolSnapshot {
  readonly providers: Readonly<Record<string, ProviderSnapshot>>;
  readonly targets: Readonly<Record<string, TargetSnapshot>>;
  /** Stale markers of removed targets not yet written, with when to write them. */
  readonly pendingStale?: Readonly<
    Record<string, { readonly markers: readonly StaleMarker[]; readonly dueAt: number }>
  >;
}

export interface ProviderSnapshot {
  readonly groups: readonly TargetGroup[];
  readonly nextRefreshAt: number;
  readonly lastRefresh: number | null;
  readonly lastError: string | null;
}

export interface TargetSnapshot {
  readonly nextAt: number;
  readonly health: TargetStatus["health"];
  readonly lastError: string;
  readonly lastScrape: number | null;
  readonly lastDuration: number;
  /** The series the next scrape compares against for staleness. */
  readonly previousSeries: readonly (readonly Label[])[];
}

interface ActiveTarget {
  target: ScrapeTarget;
  loop: ScrapeLoopState;
  offset: number;
  nextAt: number;
  health: TargetStatus["health"];
  lastError: string;
  lastScrape: number | undefined;
  lastDuration: number;
  metadata: readonly ScrapedMetadata[];
}

interface PendingStale {
  readonly markers: readonly StaleMarker[];
  readonly dueAt: number;
}

interface ProviderState {
  readonly provider: DiscoveryProvider;
  groups: TargetGroup[];
  nextRefreshAt: number;
  lastRefresh: number | undefined;
  lastError: string | undefined;
}

/**
 * One scrape config's targets and their scrape loops, driven by a clock: `run(now)` refreshes the discovery
 * providers that are due (keeping a provider's last good targets when a refresh fails), applies target changes
 * (stale markers for targets that went away), scrapes every target whose scheduled time has come and returns
 * everything to store as one batch. `nextWakeup()` is when to run again (the Durable Object alarm).
 */
export class ScrapePool {
  private readonly providers: ProviderState[];
  private readonly active = new Map<string, ActiveTarget>();
  // Stale markers of targets that went away, held back as Prometheus does (see applyTargets).
  private readonly pendingStale = new Map<string, PendingStale>();
  private dropped: readonly DroppedTarget[] = [];
  private invalid: readonly InvalidTarget[] = [];
  private targetLimitError: string | undefined;

  constructor(
    readonly config: ScrapeConfig,
    private readonly deps: ScrapePoolDependencies,
  ) {
    this.providers = discoveryProviders(config, deps).map((provider) => ({
      provider,
      groups: [],
      nextRefreshAt: -Infinity,
      lastRefresh: undefined,
      lastError: undefined,
    }));
  }

  /**
   * A pool continuing from a snapshot taken by a pool of the same scrape config: discovered groups, schedules,
   * target health and the series each target's next scrape compares against. Static targets are re-read from the
   * configuration; targets whose identity changed start afresh.
   */
  static restore(
    config: ScrapeConfig,
    deps: ScrapePoolDependencies,
    snapshot: ScrapePoolSnapshot,
    now: number,
  ): ScrapePool {
    const pool = new ScrapePool(config, deps);
    for (const state of pool.providers) {
      const saved = snapshot.providers[state.provider.id];
      if (!saved || state.provider.refreshInterval === Infinity) continue;
      state.groups = [...saved.groups];
      state.nextRefreshAt = saved.nextRefreshAt;
      state.lastRefresh = saved.lastRefresh ?? undefined;
      state.lastError = saved.lastError ?? undefined;
    }
    for (const state of pool.providers) {
      if (state.provider.refreshInterval !== Infinity) continue;
      // Static groups are known without I/O.
      state.nextRefreshAt = now + state.provider.refreshInterval;
      state.lastRefresh = now;
      state.groups = [...config.staticConfigs];
    }
    for (const [key, pending] of Object.entries(snapshot.pendingStale ?? {})) pool.pendingStale.set(key, pending);
    pool.applyTargets(now, [], snapshot.targets);
    return pool;
  }

  /** The pool's state as JSON-serialisable data; store it after each run to survive a restart. */
  snapshot(): ScrapePoolSnapshot {
    const providers: Record<string, ProviderSnapshot> = {};
    for (const state of this.providers) {
      providers[state.provider.id] = {
        groups: state.groups,
        nextRefreshAt: Number.isFinite(state.nextRefreshAt) ? state.nextRefreshAt : 0,
        lastRefresh: state.lastRefresh ?? null,
        lastError: state.lastError ?? null,
      };
    }
    const targets: Record<string, TargetSnapshot> = {};
    for (const [key, entry] of this.active) {
      targets[key] = {
        nextAt: entry.nextAt,
        health: entry.health,
        lastError: entry.lastError,
        lastScrape: entry.lastScrape ?? null,
        lastDuration: entry.lastDuration,
        previousSeries: entry.loop.previousSeries(),
      };
    }
    return { providers, targets, pendingStale: Object.fromEntries(this.pendingStale) };
  }

  async run(now: number): Promise<ScrapeRun> {
    const batch: SeriesAppend[] = [];
    const discoveryErrors = await this.refreshDiscovery(now, batch);
    for (const [key, pending] of this.pendingStale) {
      if (pending.dueAt > now) continue;
      for (const marker of pending.markers) batch.push(staleEntry(marker));
      this.pendingStale.delete(key);
    }
    const due = [...this.active.values()].filter((entry) => entry.nextAt <= now);
    const outcomes = await Promise.all(due.map((entry) => this.scrapeOne(entry, now)));
    for (const outcome of outcomes) batch.push(...outcome);
    const metadata = due.flatMap((entry) => (entry.health === "up" ? entry.metadata : []));
    return { batch, metadata, scrapes: due.length, discoveryErrors };
  }

  /** When `run` next has work: the earliest scheduled scrape or discovery refresh. */
  nextWakeup(): number {
    let next = Infinity;
    for (const entry of this.active.values()) next = Math.min(next, entry.nextAt);
    for (const state of this.providers) next = Math.min(next, state.nextRefreshAt);
    for (const pending of this.pendingStale.values()) next = Math.min(next, pending.dueAt);
    return next;
  }

  /** Stale markers for every series this pool wrote: for a pool being removed. */
  stop(now: number): AppendBatch {
    const markers: StaleMarker[] = [];
    for (const entry of this.active.values()) markers.push(...entry.loop.stop(now));
    for (const pending of this.pendingStale.values()) markers.push(...pending.markers);
    this.active.clear();
    this.pendingStale.clear();
    return markers.map(staleEntry);
  }

  targets(): { active: TargetStatus[]; dropped: readonly DroppedTarget[]; invalid: readonly InvalidTarget[] } {
    const active = [...this.active.values()].map((entry) => ({
      scrapePool: this.config.jobName,
      labels: entry.target.publicLabels,
      discoveredLabels: entry.target.discoveredLabels,
      scrapeUrl: entry.target.url,
      health: entry.health,
      lastError: entry.lastError,
      lastScrape: entry.lastScrape,
      lastScrapeDuration: entry.lastDuration / 1000,
      scrapeInterval: entry.target.interval,
      scrapeTimeout: entry.target.timeout,
      nextScrape: entry.nextAt,
    }));
    return { active, dropped: this.dropped, invalid: this.invalid };
  }

  /** Each active target's metric metadata from its last successful scrape (kept in memory, not in snapshots). */
  targetMetadata(): TargetMetadata[] {
    return [...this.active.values()].map((entry) => ({
      scrapePool: this.config.jobName,
      labels: entry.target.publicLabels,
      metadata: entry.metadata,
    }));
  }

  discoveryStatus(): DiscoveryStatus[] {
    return this.providers.map((state) => ({
      provider: state.provider.id,
      lastRefresh: state.lastRefresh,
      lastError: state.lastError,
    }));
  }

  private async refreshDiscovery(now: number, batch: SeriesAppend[]) {
    const due = this.providers.filter((state) => state.nextRefreshAt <= now);
    if (due.length === 0) return [];
    const errors: { provider: string; error: string }[] = [];
    await Promise.all(
      due.map(async (state) => {
        state.nextRefreshAt = now + state.provider.refreshInterval;
        try {
          state.groups = await state.provider.refresh();
          state.lastError = undefined;
        } catch (err) {
          // As Prometheus: a failed refresh keeps the provider's previous targets.
          state.lastError = err instanceof Error ? err.message : String(err);
          errors.push({ provider: state.provider.id, error: state.lastError });
        }
        state.lastRefresh = now;
      }),
    );
    this.applyTargets(now, batch);
    return errors;
  }

  private applyTargets(now: number, batch: SeriesAppend[], saved: Readonly<Record<string, TargetSnapshot>> = {}): void {
    const set = buildTargets(
      this.config,
      this.providers.flatMap((state) => state.groups),
    );
    this.dropped = set.dropped;
    this.invalid = set.invalid;
    this.targetLimitError = set.targetLimitError;
    const keep = new Set(set.active.map((target) => target.key));
    for (const [key, entry] of this.active) {
      if (keep.has(key)) continue;
      this.active.delete(key);
      // As Prometheus's end-of-run staleness: the markers carry the time the next scrape would have had, and are
      // written only after two more intervals (plus 10%), so that a target that comes straight back (a flapping
      // discovery) gets no gap. A target never scraped leaves nothing to mark.
      if (entry.lastScrape === undefined) continue;
      const staleTime = Math.max(entry.nextAt, nextScrapeTime(now - 1, entry.target.interval, entry.offset));
      this.pendingStale.set(key, {
        markers: entry.loop.stop(staleTime),
        dueAt: staleTime + entry.target.interval + entry.target.interval / 10,
      });
    }
    for (const target of set.active) {
      if (this.active.has(target.key)) continue;
      // It came back before its stale markers were due: they would be out of order; drop them.
      this.pendingStale.delete(target.key);
      const offset = scrapeOffset(target.key, target.interval, this.deps.seed);
      const previous = Object.hasOwn(saved, target.key) ? saved[target.key] : undefined;
      this.active.set(target.key, {
        target,
        loop: new ScrapeLoopState(
          { ...this.config, targetLabels: target.publicLabels, timeout: target.timeout },
          previous?.previousSeries,
        ),
        offset,
        nextAt: previous?.nextAt ?? nextScrapeTime(now, target.interval, offset),
        health: previous?.health ?? "unknown",
        lastError: previous?.lastError ?? "",
        lastScrape: previous?.lastScrape ?? undefined,
        lastDuration: previous?.lastDuration ?? 0,
        metadata: [],
      });
    }
  }

  private async scrapeOne(entry: ActiveTarget, now: number): Promise<SeriesAppend[]> {
    const { target } = entry;
    const aligned = alignScrapeTimestamp(now, entry.nextAt, target.interval);
    const response: ScrapeResponse = this.targetLimitError
      ? { result: { error: this.targetLimitError }, duration: 0, bodySize: 0, format: undefined }
      : await scrapeTarget(target, this.config, this.deps);
    const outcome = entry.loop.append({
      timestamp: aligned.timestamp,
      duration: response.duration,
      result: response.result,
      bodySize: response.bodySize,
    });
    entry.health = outcome.error === undefined ? "up" : "down";
    if (response.metadata) entry.metadata = response.metadata;
    entry.lastError = outcome.error ?? "";
    entry.lastScrape = aligned.timestamp;
    entry.lastDuration = response.duration;
    entry.nextAt = nextScrapeTime(Math.max(aligned.scheduled, now), target.interval, entry.offset);
    return [...scrapeOutcomeBatch(outcome)];
  }
}

function staleEntry(marker: StaleMarker): SeriesAppend {
  return { labels: marker.labels, samples: [{ t: marker.timestamp, v: STALE_NAN }] };
}
