/**
 * What the cron trigger does for ingest: cadences run on Durable Object alarms, and this restarts any that stopped
 * (an alarm that failed past its retries). Returns what it restarted, for the log.
 */
export async function reconcileIngest(env: Env): Promise<string[]> {
  const restarted: string[] = [];
  const pushgateway = env.PUSHGATEWAY.get(env.PUSHGATEWAY.idFromName("default"));
  if (await pushgateway.ensureRefreshing()) restarted.push("pushgateway refresh");
  const scraper = env.SCRAPER.get(env.SCRAPER.idFromName("default"));
  if (await scraper.ensureRunning()) restarted.push("scraper");
  return restarted;
}
