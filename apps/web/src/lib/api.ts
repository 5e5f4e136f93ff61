/** The envelope every Prometheus API answer comes in. */
type Envelope<T> = { status: "success"; data: T } | { status: "error"; errorType: string; error: string };

export class ApiRequestError extends Error {
  override readonly name = "ApiRequestError";
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/** GETs a Prometheus API path and unwraps its envelope; errors carry the API's errorType. */
export async function apiGet<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { Accept: "application/json", ...init?.headers } });
  let body: Envelope<T>;
  try {
    body = (await response.json()) as Envelope<T>;
  } catch {
    throw new ApiRequestError("internal", `${path}: HTTP ${response.status} without a JSON body`);
  }
  if (body.status === "error") throw new ApiRequestError(body.errorType, body.error);
  return body.data;
}

export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}
