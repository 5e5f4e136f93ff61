// Scrape scheduling: each target scrapes at fixed points k * interval + offset on the wall clock, with an offset
// derived from a hash of the target and a per-deployment seed, so that targets spread over the interval instead of
// all firing at once (Prometheus's Target.offset), and the same target keeps its phase across restarts.

const FNV_OFFSET_HIGH = 0xcbf29ce4;
const FNV_OFFSET_LOW = 0x84222325;
const utf8 = new TextEncoder();

/** 64-bit FNV-1a of a string's UTF-8 bytes, as [high 32 bits, low 32 bits] (no BigInt). */
export function fnv1a64(text: string): [number, number] {
  let high = FNV_OFFSET_HIGH;
  let low = FNV_OFFSET_LOW;
  for (const byte of utf8.encode(text)) {
    low = (low ^ byte) >>> 0;
    // Multiply by the FNV prime 2^40 + 0x1b3 modulo 2^64, in 16-bit pieces so every product stays exact.
    const l0 = low & 0xffff;
    const l1 = low >>> 16;
    const h0 = high & 0xffff;
    const h1 = high >>> 16;
    let p0 = l0 * 0x1b3;
    let p1 = l1 * 0x1b3 + (p0 >>> 16);
    p0 &= 0xffff;
    let p2 = h0 * 0x1b3 + (p1 >>> 16) + (l0 << 8); // 2^40 = 2^32 * 2^8: low word shifted into the high word
    p1 &= 0xffff;
    const p3 = h1 * 0x1b3 + (p2 >>> 16) + (l1 << 8);
    p2 &= 0xffff;
    low = ((p1 << 16) | p0) >>> 0;
    high = (((p3 & 0xffff) << 16) | p2) >>> 0;
  }
  return [high, low];
}

/** (high * 2^32 + low) mod m for m < 2^37, exactly. */
function mod64(high: number, low: number, m: number): number {
  let r = high % m;
  r = (r * 0x10000) % m;
  r = (r * 0x10000) % m;
  return (r + (low % m)) % m;
}

/**
 * The target's phase within its interval, in [0, interval) milliseconds: a hash of the target's identity (its
 * labels and URL, ScrapeTarget.key) and a seed that differs per deployment (Prometheus uses its external labels
 * and host name, so that two servers scraping the same target do not scrape at the same instant).
 */
export function scrapeOffset(targetKey: string, interval: number, seed = ""): number {
  if (!(interval > 0)) throw new RangeError(`scrape interval must be positive, got ${interval}`);
  const [high, low] = fnv1a64(`${seed}\u0000${targetKey}`);
  return mod64(high, low, interval);
}

/** The first scheduled scrape time strictly after `after`: the next k * interval + offset. */
export function nextScrapeTime(after: number, interval: number, offset: number): number {
  const k = Math.floor((after - offset) / interval) + 1;
  return k * interval + offset;
}

/** Prometheus's default `scrape.timestamp-tolerance`. */
export const SCRAPE_TIMESTAMP_TOLERANCE_MS = 2;

export interface AlignedScrapeTime {
  /** The timestamp to give the scrape's samples. */
  readonly timestamp: number;
  /** The schedule point this scrape belongs to (moved forward past missed ticks). */
  readonly scheduled: number;
}

/**
 * Which timestamp a scrape gets. Timers jitter by a few milliseconds, and irregular timestamps cost storage (every
 * delta-of-delta becomes non-zero), so a scrape that starts within the tolerance of its scheduled time gets exactly
 * the scheduled time. As in Prometheus, the tolerance is at most 1% of the interval, and missed ticks move the
 * schedule forward first.
 */
export function alignScrapeTimestamp(
  actualStart: number,
  scheduled: number,
  interval: number,
  tolerance = SCRAPE_TIMESTAMP_TOLERANCE_MS,
): AlignedScrapeTime {
  let aligned = scheduled;
  if (actualStart - aligned >= interval) aligned += Math.floor((actualStart - aligned) / interval) * interval;
  const allowed = Math.min(interval / 100, tolerance);
  const timestamp = Math.abs(actualStart - aligned) <= allowed ? aligned : actualStart;
  return { timestamp, scheduled: aligned };
}
