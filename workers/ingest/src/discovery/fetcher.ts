/** The part of `fetch` discovery uses; pass the Worker's global `fetch` (tests pass Node's). */
export interface FetchInit {
  readonly method: "GET";
  readonly headers: Headers;
  readonly redirect: "follow" | "manual";
  readonly signal?: AbortSignal;
}

export type Fetcher = (url: string, init: FetchInit) => Promise<Response>;

/** A discovery refresh that failed; Prometheus keeps the previous targets of that provider meanwhile. */
export class DiscoveryError extends Error {
  override readonly name = "DiscoveryError";
}
