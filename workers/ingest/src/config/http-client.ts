import { ConfigError } from "./config-error";
import type { FieldReader } from "./field-reader";
import { parseSecret, refuseSecretFile, type Secret } from "./secret";

export interface BasicAuth {
  readonly username: string;
  readonly password: Secret | undefined;
}

export interface Authorization {
  readonly type: string;
  readonly credentials: Secret | undefined;
}

export interface HttpHeader {
  readonly values: readonly string[];
  readonly secrets: readonly Secret[];
}

/** The parts of Prometheus's `<http_config>` a Worker's fetch() can honour. */
export interface HttpClientConfig {
  readonly basicAuth: BasicAuth | undefined;
  readonly authorization: Authorization | undefined;
  readonly followRedirects: boolean;
  readonly headers: ReadonlyMap<string, HttpHeader>;
}

// Headers Prometheus sets itself and refuses to let configuration override.
const RESERVED_HEADERS = new Set([
  "authorization",
  "host",
  "content-encoding",
  "content-length",
  "content-type",
  "user-agent",
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "www-authenticate",
  "accept-encoding",
  "x-prometheus-remote-write-version",
  "x-prometheus-remote-read-version",
  "x-prometheus-scrape-timeout-seconds",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

// An HTTP token (RFC 9110): fetch() would throw on anything else at request time.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Reads the `<http_config>` fields of `reader` (they sit inline in scrape and discovery configs). */
export function readHttpClientConfig(reader: FieldReader): HttpClientConfig {
  const basicAuth = readBasicAuth(reader);
  const authorization = readAuthorization(reader);
  if (basicAuth && authorization) {
    throw new ConfigError(
      reader.pathOf("authorization"),
      "at most one of basic_auth, oauth2 & authorization must be configured",
    );
  }
  reader.refuse("oauth2", "OAuth 2.0 token fetching is not implemented; use authorization with a Worker secret");
  reader.refuse(
    "tls_config",
    "Workers' fetch() always verifies server certificates against public CAs and cannot present client certificates",
  );
  for (const key of ["proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header"]) {
    reader.refuse(key, "Workers' fetch() cannot use an HTTP proxy");
  }
  reader.accept("enable_http2"); // fetch() negotiates the protocol itself.
  const followRedirects = reader.boolean("follow_redirects") ?? true;
  return { basicAuth, authorization, followRedirects, headers: readHeaders(reader) };
}

function readBasicAuth(parent: FieldReader): BasicAuth | undefined {
  const reader = parent.object("basic_auth", "basic_auth");
  if (!reader) return undefined;
  if (reader.has("username_file")) refuseSecretFile(reader.pathOf("username_file"), "username_file", "username");
  if (reader.has("password_file")) refuseSecretFile(reader.pathOf("password_file"), "password_file", "password");
  const username = reader.string("username") ?? "";
  const password = reader.string("password");
  reader.done();
  return { username, password: password === undefined ? undefined : parseSecret(password) };
}

function readAuthorization(parent: FieldReader): Authorization | undefined {
  const reader = parent.object("authorization", "authorization");
  if (!reader) return undefined;
  if (reader.has("credentials_file")) {
    refuseSecretFile(reader.pathOf("credentials_file"), "credentials_file", "credentials");
  }
  const type = reader.string("type") ?? "Bearer";
  if (type.toLowerCase() === "basic") {
    throw new ConfigError(
      reader.pathOf("type"),
      `authorization type cannot be set to "basic", use "basic_auth" instead`,
    );
  }
  const credentials = reader.string("credentials");
  reader.done();
  return { type, credentials: credentials === undefined ? undefined : parseSecret(credentials) };
}

function readHeaders(parent: FieldReader): Map<string, HttpHeader> {
  const headers = new Map<string, HttpHeader>();
  const reader = parent.object("http_headers", "http_headers");
  if (!reader) return headers;
  for (const name of reader.keys()) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigError(reader.pathOf(name), `${JSON.stringify(name)} is not a valid HTTP header name`);
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new ConfigError(reader.pathOf(name), `setting header ${JSON.stringify(name)} is not allowed`);
    }
    const header = reader.object(name, "http_header");
    if (!header) continue;
    if (header.has("files")) refuseSecretFile(header.pathOf("files"), "files", "secrets");
    const values = header.stringList("values") ?? [];
    const secrets = (header.stringList("secrets") ?? []).map(parseSecret);
    header.done();
    headers.set(name, { values, secrets });
  }
  reader.done();
  return headers;
}
