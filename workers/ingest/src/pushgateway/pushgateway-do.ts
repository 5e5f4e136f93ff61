import { DurableObject } from "cloudflare:workers";
import { shardCountFrom, ShardedWriter, STALE_NAN, type Label, type SeriesAppend } from "@edgeprom/tsdb";
import type { MetricFamily } from "../expfmt/index";
import { decodeGroup, encodeGroup } from "./persist";
import { groupId, PushRejectedError, PushStore, seriesKey, type PushGroup, type PushMethod } from "./store";

/** How often pushed groups are written to the TSDB again, as Prometheus scraping a Pushgateway would. */
export const PUSH_REFRESH_INTERVAL_MS = 15_000;

export type PushOutcome = { ok: true } | { ok: false; message: string };

/**
 * The Pushgateway: one object holds every push group (strongly consistent, so the cross-group consistency checks
 * are exact). Each change is written to the TSDB at once, and every group again each refresh interval on the
 * object's alarm, so pushed series stay fresh; series that disappear (PUT, DELETE, wipe) get stale markers.
 */
export class Pushgateway extends DurableObject<Env> {
  #store = new PushStore();
  /** Series written at the last refresh; what is missing next time gets a stale marker. Lost on restart. */
  #lastExposed = new Map<string, Label[]>();
  #lastWriteMs = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS push_groups (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
      const rows = ctx.storage.sql.exec<{ body: string }>("SELECT body FROM push_groups").toArray();
      this.#store = new PushStore(rows.map((r) => decodeGroup(r.body)));
    });
  }

  async push(method: PushMethod, key: Label[], families: MetricFamily[]): Promise<PushOutcome> {
    const now = Date.now();
    let outcome: PushOutcome = { ok: true };
    try {
      this.#store.push(method, key, families, now / 1000);
    } catch (err) {
      if (!(err instanceof PushRejectedError)) throw err;
      outcome = { ok: false, message: err.message };
    }
    this.#persist(this.#store.get(key)!);
    await this.#refresh(now);
    return outcome;
  }

  async deleteGroup(key: Label[]): Promise<void> {
    if (this.#store.delete(key) === undefined) return;
    this.ctx.storage.sql.exec("DELETE FROM push_groups WHERE id = ?", groupId(key));
    await this.#refresh(Date.now());
  }

  async wipe(): Promise<void> {
    this.#store.wipe();
    this.ctx.storage.sql.exec("DELETE FROM push_groups");
    await this.#refresh(Date.now());
  }

  async groups(): Promise<PushGroup[]> {
    return this.#store.groups();
  }

  /** Restarts the refresh alarm if groups exist but no alarm is set (the cron trigger's reconciliation). */
  async ensureRefreshing(): Promise<boolean> {
    if (this.#store.groups().length === 0 || (await this.ctx.storage.getAlarm()) !== null) return false;
    await this.#refresh(Date.now());
    return true;
  }

  override async alarm(): Promise<void> {
    await this.#refresh(Date.now());
  }

  #persist(group: PushGroup): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO push_groups (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
      groupId(group.key),
      encodeGroup(group),
    );
  }

  /** Writes every exposed series at `now`, stale markers for the vanished ones, and keeps the alarm going. */
  async #refresh(nowMs: number): Promise<void> {
    // Timestamps must rise for these series; two changes within one millisecond still get distinct samples.
    const t = Math.max(nowMs, this.#lastWriteMs + 1);
    const exposed = this.#store.exposed();
    const current = new Map<string, Label[]>();
    const batch: SeriesAppend[] = [];
    for (const sample of exposed) {
      current.set(seriesKey(sample.labels), sample.labels);
      batch.push({ labels: sample.labels, samples: [{ t, v: sample.value }] });
    }
    for (const [k, labels] of this.#lastExposed) {
      if (!current.has(k)) batch.push({ labels, samples: [{ t, v: STALE_NAN }] });
    }
    if (batch.length > 0) {
      await new ShardedWriter(this.env.SERIES_SHARD, shardCountFrom(this.env.EDGEPROM_SHARDS)).append(batch);
      this.#lastWriteMs = t;
    }
    this.#lastExposed = current;
    if (current.size > 0) {
      await this.ctx.storage.setAlarm(Math.ceil((nowMs + 1) / PUSH_REFRESH_INTERVAL_MS) * PUSH_REFRESH_INTERVAL_MS);
    } else {
      await this.ctx.storage.deleteAlarm();
    }
  }
}
