import { ConfigError } from "./config-error";

/**
 * A credential from `edgeprom.yml`. The file is bundled into the Worker, so credentials belong in Worker secrets:
 * a secret field whose whole value is `${NAME}` names the Worker secret (or variable) NAME, read when the scrape or
 * discovery request is made. Any other value is used literally.
 */
export type Secret =
  { readonly kind: "literal"; readonly value: string } | { readonly kind: "env"; readonly name: string };

const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function parseSecret(text: string): Secret {
  const reference = REFERENCE.exec(text);
  return reference ? { kind: "env", name: reference[1] } : { kind: "literal", value: text };
}

/** A secret reference to a Worker secret that is not set. */
export class MissingSecretError extends Error {
  override readonly name = "MissingSecretError";
  constructor(readonly secretName: string) {
    super(`Worker secret ${secretName} is not set (run: npx wrangler secret put ${secretName})`);
  }
}

/** The Worker bindings secrets are read from (`env` in a Worker); only string values count. */
export type SecretSource = Readonly<Record<string, unknown>>;

export function resolveSecret(secret: Secret, env: SecretSource): string {
  if (secret.kind === "literal") return secret.value;
  const value = env[secret.name];
  if (typeof value !== "string") throw new MissingSecretError(secret.name);
  return value;
}

/** Refuses a `*_file` field with the reason and the alternative. */
export function refuseSecretFile(path: string, field: string, alternative: string): never {
  throw new ConfigError(
    path,
    `not supported by edgeprom: Workers have no filesystem to read ${field} from; store the value as a Worker ` +
      `secret and write ${alternative}: \${SECRET_NAME}`,
  );
}
