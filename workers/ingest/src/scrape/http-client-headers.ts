import { resolveSecret, type HttpClientConfig, type SecretSource } from "../config";

const utf8 = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The request headers an `<http_config>` asks for: custom headers, then basic auth or an Authorization header,
 * with `${SECRET}` references read from the Worker's secrets. Throws MissingSecretError when one is not set.
 */
export function httpClientHeaders(config: HttpClientConfig, env: SecretSource): Headers {
  const headers = new Headers();
  for (const [name, header] of config.headers) {
    for (const value of header.values) headers.append(name, value);
    for (const secret of header.secrets) headers.append(name, resolveSecret(secret, env));
  }
  if (config.basicAuth) {
    const password = config.basicAuth.password ? resolveSecret(config.basicAuth.password, env) : "";
    headers.set("Authorization", `Basic ${base64(utf8.encode(`${config.basicAuth.username}:${password}`))}`);
  } else if (config.authorization) {
    const credentials = config.authorization.credentials ? resolveSecret(config.authorization.credentials, env) : "";
    headers.set("Authorization", `${config.authorization.type} ${credentials}`);
  }
  return headers;
}
