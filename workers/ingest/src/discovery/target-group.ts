/** A label set as discovery produces it: names to values, before relabeling. */
export type DiscoveredLabels = Readonly<Record<string, string>>;

/**
 * Prometheus's target group: targets (each at least `__address__`) sharing common labels. `source` identifies the
 * group within its discovery mechanism so that a refresh replaces it.
 */
export interface TargetGroup {
  readonly source: string;
  readonly targets: readonly DiscoveredLabels[];
  readonly labels: DiscoveredLabels;
}

/** Prometheus refuses addresses that look like URLs. */
export function checkTargetAddress(address: string): string | undefined {
  return address.includes("/") ? `${JSON.stringify(address)} is not a valid hostname` : undefined;
}
