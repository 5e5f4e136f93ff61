import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors";

/** What a route needs: reading data, writing data, or administering the TSDB. */
export type Scope = "read" | "write" | "admin";

/** The Worker secrets (and the one dev variable) that authentication reads. */
export interface AuthBindings {
  EDGEPROM_READ_TOKEN?: string;
  EDGEPROM_WRITE_TOKEN?: string;
  EDGEPROM_ADMIN_TOKEN?: string;
  /** Set by `npm run dev` only: with no credential configured, loopback clients are served. */
  EDGEPROM_DEV?: string;
}

type SecretName = "EDGEPROM_READ_TOKEN" | "EDGEPROM_WRITE_TOKEN" | "EDGEPROM_ADMIN_TOKEN";

/** The admin credential can do everything; read and write credentials only their own scope. */
const SECRETS_GRANTING: Readonly<Record<Scope, readonly SecretName[]>> = {
  read: ["EDGEPROM_READ_TOKEN", "EDGEPROM_ADMIN_TOKEN"],
  write: ["EDGEPROM_WRITE_TOKEN", "EDGEPROM_ADMIN_TOKEN"],
  admin: ["EDGEPROM_ADMIN_TOKEN"],
};

const OWN_SECRET: Readonly<Record<Scope, SecretName>> = {
  read: "EDGEPROM_READ_TOKEN",
  write: "EDGEPROM_WRITE_TOKEN",
  admin: "EDGEPROM_ADMIN_TOKEN",
};

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="edgeprom", Basic realm="edgeprom"' };

/**
 * Requires a credential for `scope`: `Authorization: Bearer <token>` (Prometheus `authorization`, Grafana custom
 * header) or HTTP basic auth whose password is the token (Prometheus `basic_auth`, Grafana basic auth; the user name
 * is not checked). With no credential configured for the scope, a dev server (`EDGEPROM_DEV`) serves loopback
 * clients only and a deployed Worker refuses with the `wrangler secret put` command to run.
 *
 * @example app.use("/api/v1/write", requireAuth("write"))
 */
export function requireAuth(scope: Scope): MiddlewareHandler<{ Bindings: AuthBindings }> {
  return async function requireAuthMiddleware(c, next) {
    const configured = SECRETS_GRANTING[scope].map((name) => c.env?.[name]).filter(isNonEmpty);
    if (configured.length === 0) {
      if (isDevServer(c.env) && isLoopbackClient(c.req.raw)) return next();
      if (isDevServer(c.env)) {
        throw new ApiError(
          "unauthorized",
          `no credential is configured for ${scope} access, so this development server only serves loopback clients; ` +
            `set ${OWN_SECRET[scope]} in .dev.vars to accept others`,
          { headers: CHALLENGE },
        );
      }
      throw new ApiError(
        "unauthorized",
        `no credential is configured for ${scope} access: run \`npx wrangler secret put ${OWN_SECRET[scope]}\``,
        { headers: CHALLENGE },
      );
    }
    const presented = presentedToken(c.req.header("Authorization"));
    if (presented === undefined) {
      throw new ApiError("unauthorized", "authentication required: send a bearer token or basic auth", {
        headers: CHALLENGE,
      });
    }
    for (const secret of configured) {
      if (await constantTimeEqual(presented, secret)) return next();
    }
    if (await grantsAnyScope(presented, c.env)) {
      throw new ApiError("forbidden", `this credential does not grant ${scope} access`);
    }
    throw new ApiError("unauthorized", "invalid credentials", { headers: CHALLENGE });
  };
}

function isNonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

function isDevServer(env: AuthBindings | undefined): boolean {
  const flag = env?.EDGEPROM_DEV;
  return flag !== undefined && flag !== "" && flag !== "0" && flag !== "false";
}

/**
 * wrangler dev puts the client's address in CF-Connecting-IP, as Cloudflare's edge does. A request without it is not
 * treated as loopback: failing closed is the safe side.
 */
export function isLoopbackClient(request: Request): boolean {
  const ip = request.headers.get("CF-Connecting-IP");
  if (ip === null) return false;
  return (
    ip === "::1" || ip.startsWith("127.") || ip === "::ffff:127.0.0.1" || ip.toLowerCase().startsWith("::ffff:127.")
  );
}

/** The token of a `Bearer` header, or the password of a `Basic` header. */
export function presentedToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(" ");
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (value === "") return undefined;
  if (scheme === "bearer") return value;
  if (scheme !== "basic") return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

async function grantsAnyScope(token: string, env: AuthBindings | undefined): Promise<boolean> {
  for (const name of ["EDGEPROM_READ_TOKEN", "EDGEPROM_WRITE_TOKEN", "EDGEPROM_ADMIN_TOKEN"] as const) {
    const secret = env?.[name];
    if (isNonEmpty(secret) && (await constantTimeEqual(token, secret))) return true;
  }
  return false;
}

/** Compares digests so that neither the length nor a common prefix of the secret leaks through timing. */
async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  const x = new Uint8Array(da);
  const y = new Uint8Array(db);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}
