import type { DnsRecordType, DnsSdConfig } from "../config";
import { DiscoveryError, type Fetcher } from "./fetcher";
import { canonicalIp, joinHostPort } from "./ip-address";
import type { TargetGroup } from "./target-group";

export const DNS_NAME_LABEL = "__meta_dns_name";
export const DNS_SRV_RECORD_TARGET_LABEL = "__meta_dns_srv_record_target";
export const DNS_SRV_RECORD_PORT_LABEL = "__meta_dns_srv_record_port";
export const DNS_MX_RECORD_TARGET_LABEL = "__meta_dns_mx_record_target";
export const DNS_NS_RECORD_TARGET_LABEL = "__meta_dns_ns_record_target";

// DNS RR type numbers, as the JSON API reports them.
const RR_TYPE: Record<DnsRecordType, number> = { A: 1, NS: 2, MX: 15, AAAA: 28, SRV: 33 };

const NXDOMAIN = 3;

/** One answer record of the DNS JSON API (`application/dns-json`, as served by Cloudflare and Google). */
interface DnsJsonAnswer {
  readonly name: string;
  readonly type: number;
  readonly data: string;
}

/** One refresh of a `dns_sd_configs` entry: one target group per name, resolved over DNS-over-HTTPS. */
export async function resolveDnsTargetGroups(config: DnsSdConfig, fetch: Fetcher): Promise<TargetGroup[]> {
  return Promise.all(config.names.map((name) => resolveName(config, name, fetch)));
}

async function resolveName(config: DnsSdConfig, name: string, fetch: Fetcher): Promise<TargetGroup> {
  const url = new URL(config.dohUrl);
  url.searchParams.set("name", name);
  url.searchParams.set("type", config.type);
  let response: Response;
  try {
    response = await fetch(url.toString(), {
      method: "GET",
      headers: new Headers({ Accept: "application/dns-json" }),
      redirect: "follow",
      signal: AbortSignal.timeout(config.refreshInterval),
    });
  } catch (err) {
    throw new DiscoveryError(`resolving ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new DiscoveryError(`resolving ${name}: DNS-over-HTTPS server returned HTTP status ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    throw new DiscoveryError(`resolving ${name}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const answers = readAnswers(body, name);
  const targets: Record<string, string>[] = [];
  for (const answer of answers) {
    // CNAMEs and other records that come along with the answer are skipped, as in Prometheus.
    if (answer.type !== RR_TYPE[config.type]) continue;
    const target = targetFromRecord(config, name, answer.data);
    if (target) targets.push(target);
  }
  return { source: name, targets, labels: {} };
}

function readAnswers(body: unknown, name: string): DnsJsonAnswer[] {
  if (typeof body !== "object" || body === null) throw new DiscoveryError(`resolving ${name}: expected a JSON object`);
  const record = body as { Status?: unknown; Answer?: unknown };
  if (record.Status === NXDOMAIN) return [];
  if (record.Status !== 0) throw new DiscoveryError(`resolving ${name}: DNS status ${String(record.Status)}`);
  if (record.Answer === undefined) return [];
  if (!Array.isArray(record.Answer)) throw new DiscoveryError(`resolving ${name}: "Answer" must be a list`);
  return record.Answer.filter(
    (answer: unknown): answer is DnsJsonAnswer =>
      typeof answer === "object" &&
      answer !== null &&
      typeof (answer as DnsJsonAnswer).type === "number" &&
      typeof (answer as DnsJsonAnswer).data === "string",
  );
}

const trimDot = (host: string) => host.replace(/\.+$/, "");

function targetFromRecord(config: DnsSdConfig, name: string, data: string): Record<string, string> | undefined {
  const port = config.port ?? 0;
  const fields = data.trim().split(/\s+/);
  switch (config.type) {
    case "A":
    case "AAAA": {
      const ip = canonicalIp(fields[0] ?? "");
      return ip === undefined ? undefined : { __address__: joinHostPort(ip, port), [DNS_NAME_LABEL]: name };
    }
    case "SRV": {
      // "priority weight port target"
      if (fields.length !== 4 || !/^\d+$/.test(fields[2])) return undefined;
      const srvPort = Number(fields[2]);
      return {
        __address__: joinHostPort(trimDot(fields[3]), srvPort),
        [DNS_NAME_LABEL]: name,
        [DNS_SRV_RECORD_TARGET_LABEL]: fields[3],
        [DNS_SRV_RECORD_PORT_LABEL]: String(srvPort),
      };
    }
    case "MX": {
      // "preference exchange"
      if (fields.length !== 2) return undefined;
      return {
        __address__: joinHostPort(trimDot(fields[1]), port),
        [DNS_NAME_LABEL]: name,
        [DNS_MX_RECORD_TARGET_LABEL]: fields[1],
      };
    }
    case "NS": {
      if (fields.length !== 1) return undefined;
      return {
        __address__: joinHostPort(trimDot(fields[0]), port),
        [DNS_NAME_LABEL]: name,
        [DNS_NS_RECORD_TARGET_LABEL]: fields[0],
      };
    }
  }
}
