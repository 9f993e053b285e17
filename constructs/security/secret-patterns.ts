/**
 * What a secret looks like, written once for the vars loader (config/load.ts), the connection construct
 * (constructs/connections) and the synth rule DBX003. No imports: loading it costs nothing.
 *
 * Two kinds of checks:
 * - field names: a schema-defined field named like a secret ({@link SECRET_FIELD_NAME}), and, in free-form
 *   maps (AWS tags, connection and catalog `properties`), any key with a secret-like word
 *   ({@link isSecretLikeKey}). Free-form maps get the broader check because nothing else constrains their
 *   keys and their values are written to `cdk.tf.json` in clear: the provider marks only a connection's
 *   `options` sensitive, not its `properties` (provider `docs/resources/connection.md`,
 *   `catalog/resource_connection.go`), and AWS tags are plain resource attributes.
 * - values: strings shaped like well-known credentials ({@link secretShapeOf}), wherever they appear.
 */

/** Names of fields that hold secrets, e.g. `password`, `clientSecret`, `privateKey`, `apiToken`. */
export const SECRET_FIELD_NAME = /(password|passwd|secret|token|private_?key|access_?key|api_?key|credential)s?$/i;

/**
 * Words that mark a key of a free-form map as a secret's: `pwd`, `dbPassword`, `x-api-key`, `session_token`,
 * `AuthHeader`. A key is split into words at case changes and non-alphanumerics, so `author` or `compass`
 * do not match.
 */
export const SECRET_LIKE_WORDS: readonly string[] = [
  "pass", "passwd", "passphrase", "password", "passwords", "pwd", "pw", "secret", "secrets", "token", "tokens",
  "credential", "credentials", "cred", "creds", "private", "privatekey", "apikey", "accesskey", "key", "keys",
  "auth", "authorization", "bearer", "cookie", "session", "signature", "sig", "pem", "jwt", "sas", "dsn",
  "connectionstring", "salt", "otp", "pin",
];

/** The words of a key: `dbPassword` → `db`, `password`; `x-api-key` → `x`, `api`, `key`. */
export function keyWords(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** True when `key` (of a free-form map) names a secret: one of its words is in {@link SECRET_LIKE_WORDS}. */
export function isSecretLikeKey(key: string): boolean {
  return keyWords(key).some((w) => SECRET_LIKE_WORDS.includes(w)) || SECRET_FIELD_NAME.test(key);
}

/** Credential formats recognizable by shape; the name says what was found without showing it. */
export const SECRET_VALUE_SHAPES: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: "a PEM private key", pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { name: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "a Databricks personal access token", pattern: /\bdapi[0-9a-f]{32}(-\d+)?\b/ },
  { name: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: "a JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { name: "a Google service account key", pattern: /"private_key(_id)?"\s*:/ },
];

/** The name of the credential format `value` has (e.g. "a PEM private key"), or undefined. */
export function secretShapeOf(value: string): string | undefined {
  return SECRET_VALUE_SHAPES.find((s) => s.pattern.test(value))?.name;
}
