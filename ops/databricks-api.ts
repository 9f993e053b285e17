/**
 * A small client of the Databricks workspace REST API for the operations CLI: credentials from environment
 * variables (the names Databricks unified client authentication uses), JSON requests that end with their
 * caller's deadline, retries of the answers the Databricks SDKs retry, and the API's error shape turned into
 * one message.
 *
 * Plain `fetch` (Node >= 20), no SDK: the official JavaScript SDK is published as
 * `@databricks/sdk-experimental`, experimental by name and release line; the few calls needed here are
 * documented REST endpoints.
 *
 * Sources:
 * - Environment variables `DATABRICKS_HOST`, `DATABRICKS_TOKEN`, `DATABRICKS_CLIENT_ID`,
 *   `DATABRICKS_CLIENT_SECRET`, `DATABRICKS_AUTH_TYPE`: Databricks "Databricks unified authentication" and
 *   "Authentication environment variables" (docs.databricks.com/aws/en/dev-tools/auth/unified-auth). Only
 *   these variables are read: configuration profiles (`DATABRICKS_CONFIG_PROFILE`, `~/.databrickscfg`) and
 *   the other authentication types of unified authentication are not.
 * - Both a token and client credentials without `DATABRICKS_AUTH_TYPE` are refused, as the Go SDK refuses
 *   them ("validate: more than one authorization method configured: oauth and pat"; databricks-sdk-go
 *   `config/config_attributes.go`, `attributes.Validate`: more than one auth method set and no auth type).
 * - OAuth M2M: `POST <workspace>/oidc/v1/token` with HTTP Basic client id and secret and the form body
 *   `grant_type=client_credentials&scope=all-apis`; the answer holds `access_token` and `expires_in`
 *   (seconds, one hour): Databricks "Authorize unattended access to Databricks resources with a service
 *   principal using OAuth", section "Manually generate OAuth M2M access tokens"
 *   (docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m). A failed token request answers with the OAuth
 *   error shape `{error, error_description}` (RFC 6749 section 5.2).
 * - Who the credentials belong to: `GET /api/2.0/preview/scim/v2/Me` → `{userName, displayName, ...}`
 *   (Databricks REST API reference, "Current User: Get current user info",
 *   docs.databricks.com/api/workspace/currentuser/me; databricks-sdk-go `service/iam` `CurrentUser.Me`).
 * - Errors of the REST API: a JSON body `{error_code, message}` with the HTTP status (Databricks REST API
 *   reference, "Error handling"; e.g. 404 `RESOURCE_DOES_NOT_EXIST`).
 * - Retries: 429 and 503 are retried by the Go SDK (databricks-sdk-go `apierr/errors.go`,
 *   `APIError.IsRetriable`), 429 and 504 by its plain HTTP client (`httpclient/errors.go`,
 *   `DefaultErrorRetriable`); `Retry-After` in seconds says how long to wait (RFC 9110 section 10.2.3).
 */
import { ACCOUNTS_HOST } from "../constructs/security/defaults";
import { EXIT, OpsError } from "./exit-codes";

/** How the CLI signs in to the workspace. Secrets stay in this object: nothing prints it. */
export type WorkspaceAuth =
  | { readonly type: "pat"; readonly host: string; readonly token: string }
  | { readonly type: "oauth-m2m"; readonly host: string; readonly clientId: string; readonly clientSecret: string };

/** Hosts a token may be sent to over plain HTTP: this machine only (test servers, local proxies). */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

const WORKSPACE_CREDENTIALS_HINT =
  "set DATABRICKS_HOST (the workspace URL: the workspace_url output of provisioning-<env>) and either DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M)";

/**
 * The workspace origin of `DATABRICKS_HOST` (`https://` added when it has no scheme, as the Databricks SDKs
 * do). Refuses the account console (Unity Catalog and SQL are workspace APIs), a path, and plain HTTP to
 * anything but this machine (the token would travel in clear).
 * @throws OpsError NO_DATABRICKS_CREDENTIALS naming DATABRICKS_HOST
 */
export function workspaceOrigin(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new OpsError(EXIT.NO_DATABRICKS_CREDENTIALS, `DATABRICKS_HOST is not a URL: expected the workspace URL, such as https://dbc-1234abcd-5678.cloud.databricks.com`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new OpsError(EXIT.NO_DATABRICKS_CREDENTIALS, `DATABRICKS_HOST must be an https:// URL (plain ${url.protocol}// only for localhost), found ${url.protocol}//${url.host}`);
  }
  if (`https://${url.host}` === ACCOUNTS_HOST) {
    throw new OpsError(EXIT.NO_DATABRICKS_CREDENTIALS, `DATABRICKS_HOST is the account console (${url.host}); Unity Catalog connections and SQL statements are workspace APIs: set it to the workspace URL (the workspace_url output of provisioning-<env>)`);
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    throw new OpsError(EXIT.NO_DATABRICKS_CREDENTIALS, `DATABRICKS_HOST must be the workspace URL alone (scheme and host), found one with a path, query or user part`);
  }
  return url.origin;
}

/**
 * Workspace credentials from environment variables (configuration profiles are not read):
 * `DATABRICKS_HOST` plus `DATABRICKS_TOKEN` (a personal access token), or `DATABRICKS_CLIENT_ID` and
 * `DATABRICKS_CLIENT_SECRET` (OAuth M2M). When a token and client credentials are both set,
 * `DATABRICKS_AUTH_TYPE` (`pat` or `oauth-m2m`) must pick one: without it they are refused, as the Go SDK
 * refuses more than one authorization method (`config/config_attributes.go`, `Validate`).
 * @throws OpsError NO_DATABRICKS_CREDENTIALS naming the variables to set (never their values)
 */
export function workspaceAuthFromEnv(env: NodeJS.ProcessEnv): WorkspaceAuth {
  const authType = env.DATABRICKS_AUTH_TYPE || undefined;
  if (authType !== undefined && authType !== "pat" && authType !== "oauth-m2m") {
    throw new OpsError(EXIT.NO_DATABRICKS_CREDENTIALS, `DATABRICKS_AUTH_TYPE=${JSON.stringify(authType)} is not supported here: use pat (DATABRICKS_TOKEN) or oauth-m2m (DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET), or leave it unset`);
  }
  if (!env.DATABRICKS_HOST) throw new OpsError(EXIT.NO_DATABRICKS_CREDENTIALS, `no Databricks workspace credentials: ${WORKSPACE_CREDENTIALS_HINT}`);
  const host = workspaceOrigin(env.DATABRICKS_HOST);
  const token = env.DATABRICKS_TOKEN;
  const clientId = env.DATABRICKS_CLIENT_ID;
  const clientSecret = env.DATABRICKS_CLIENT_SECRET;
  if (authType === undefined && token && (clientId || clientSecret)) {
    throw new OpsError(
      EXIT.NO_DATABRICKS_CREDENTIALS,
      "more than one authorization method configured: DATABRICKS_TOKEN (pat) and DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET (oauth-m2m) are both set; set DATABRICKS_AUTH_TYPE=pat|oauth-m2m to pick one, or unset the other",
    );
  }
  if (authType !== "oauth-m2m" && token) return { type: "pat", host, token };
  if (authType !== "pat" && clientId && clientSecret) return { type: "oauth-m2m", host, clientId, clientSecret };
  const missing =
    authType === "pat" ? ["DATABRICKS_TOKEN"] : authType === "oauth-m2m" ? ["DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET"].filter((k) => !env[k]) : undefined;
  throw new OpsError(
    EXIT.NO_DATABRICKS_CREDENTIALS,
    missing ? `no Databricks workspace credentials: DATABRICKS_AUTH_TYPE=${authType} needs ${missing.join(" and ")}` : `no Databricks workspace credentials: ${WORKSPACE_CREDENTIALS_HINT}`,
  );
}

/** A failed REST call: the HTTP status (0 when the host was not reached) and the API's `error_code` and `message`. */
export class DatabricksApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly errorCode: string | undefined,
    message: string,
    /** Requests made before giving up: more than 1 when a retriable answer was retried. */
    public readonly attempts = 1,
    /** Why the retries stopped early, when they did (a `Retry-After` past the deadline). */
    public readonly retryNote?: string,
  ) {
    super(message);
    this.name = "DatabricksApiError";
  }

  /** One line: the API's message, then its error code, the HTTP status and the attempts made. */
  describe(): string {
    const attempts = this.attempts > 1 ? `${this.attempts} attempts` : undefined;
    const detail = [this.errorCode, this.status > 0 ? `HTTP ${this.status}` : undefined, attempts].filter(Boolean).join(", ");
    const note = this.retryNote ? `${detail ? "; " : ""}${this.retryNote}` : "";
    return detail || note ? `${this.message} (${detail}${note})` : this.message;
  }

  /** The same error, recording how many requests were made and why the retries stopped. */
  after(attempts: number, retryNote?: string): DatabricksApiError {
    return new DatabricksApiError(this.status, this.errorCode, this.message, attempts, retryNote);
  }
}

/** At most 300 characters of `text` on one line: API messages are printed one per connection. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/**
 * The error of a non-2xx answer: `{error_code, message}` (or the OAuth `{error, error_description}`) when
 * the body has it, else the status text and what the body was (a proxy's HTML page, nothing).
 */
function apiError(status: number, statusText: string, body: string): DatabricksApiError {
  try {
    const doc = JSON.parse(body) as { error_code?: unknown; message?: unknown; error?: unknown; error_description?: unknown };
    const code = typeof doc.error_code === "string" ? doc.error_code : typeof doc.error === "string" ? doc.error : undefined;
    const message = typeof doc.message === "string" ? doc.message : typeof doc.error_description === "string" ? doc.error_description : undefined;
    if (message || code) return new DatabricksApiError(status, code, oneLine(message ?? code ?? ""));
  } catch {
    // Not JSON: said below.
  }
  const what = body.trim() === "" ? "no body" : /^\s*[[{]/.test(body) ? "a JSON body without error_code or message" : "a body that is not JSON";
  return new DatabricksApiError(status, undefined, `${statusText || "error"}, with ${what}`);
}

/** True when `e` is the rejection of a request whose AbortSignal fired (deadline or interrupt). */
export function isAbort(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === "AbortError" || name === "TimeoutError";
}

/**
 * When a call must end: `signal` fires at the deadline (or on an interrupt), and `remainingMs()` says how
 * long is left, so a retry never waits past the deadline.
 */
export interface CallDeadline {
  readonly signal: AbortSignal;
  remainingMs(): number;
}

/** A deadline `ms` from now (`AbortSignal.timeout`). */
export function deadlineIn(ms: number): CallDeadline {
  const end = Date.now() + ms;
  return { signal: AbortSignal.timeout(ms), remainingMs: () => end - Date.now() };
}

/** `deadline`, ended early when `also` fires as well. */
export function endingAlsoWith(deadline: CallDeadline, also: AbortSignal): CallDeadline {
  return { signal: AbortSignal.any([deadline.signal, also]), remainingMs: () => (also.aborted ? 0 : deadline.remainingMs()) };
}

/** Waits `ms`; resolves to false when `signal` fired first. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const end = (completed: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", aborted);
      resolve(completed);
    };
    const aborted = () => end(false);
    const timer = setTimeout(() => end(true), ms);
    signal.addEventListener("abort", aborted, { once: true });
  });
}

/**
 * HTTP statuses retried within the caller's deadline: 429 Too Many Requests, 503 Service Unavailable
 * (databricks-sdk-go `apierr/errors.go`, `IsRetriable`) and 504 Gateway Timeout (`httpclient/errors.go`,
 * `DefaultErrorRetriable`).
 */
export const RETRIABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/** Waits between retries without a `Retry-After`, in milliseconds: the first, doubled each time up to the cap. */
export const RETRY_BACKOFF_MS = { first: 100, max: 2000 } as const;

/**
 * Milliseconds to wait before retry number `attempt` (1 for the first retry): the `Retry-After` header in
 * seconds (RFC 9110 section 10.2.3, delay-seconds) when it has that form, else {@link RETRY_BACKOFF_MS}. An
 * HTTP-date `Retry-After` is treated as absent (it would need the server's clock).
 */
export function retryDelayMs(retryAfter: string | null, attempt: number): number {
  const seconds = retryAfterSeconds(retryAfter);
  if (seconds !== undefined) return seconds * 1000;
  return Math.min(RETRY_BACKOFF_MS.max, RETRY_BACKOFF_MS.first * 2 ** Math.max(0, attempt - 1));
}

/** The seconds of a `Retry-After` header in its delay-seconds form; undefined when absent or an HTTP-date. */
function retryAfterSeconds(retryAfter: string | null): number | undefined {
  const text = retryAfter?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** `GET` this path answers who the credentials belong to (SCIM `Me`: `{userName, displayName, ...}`). */
export const CURRENT_USER_PATH = "/api/2.0/preview/scim/v2/Me";

/** Seconds before an OAuth token's expiry at which a new one is fetched. */
const TOKEN_REFRESH_MARGIN_SECONDS = 60;

/** Authenticated JSON calls to one workspace. */
export class WorkspaceClient {
  private accessToken?: { value: string; expiresAt: number };

  constructor(
    public readonly auth: WorkspaceAuth,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get host(): string {
    return this.auth.host;
  }

  /**
   * Makes sure a bearer token is at hand: for OAuth M2M, fetches one from `<host>/oidc/v1/token` unless the
   * current one is valid for another minute; for a personal access token, nothing.
   * @throws OpsError FAILURE when the token endpoint refuses (its OAuth error and description, never the secret)
   */
  async authenticate(signal: AbortSignal): Promise<void> {
    if (this.auth.type !== "oauth-m2m") return;
    if (this.accessToken && this.accessToken.expiresAt - TOKEN_REFRESH_MARGIN_SECONDS * 1000 > Date.now()) return;
    // Client id and secret are form-urlencoded before Basic encoding (RFC 6749 section 2.3.1, as golang.org/x/oauth2
    // does for the Go SDK); Databricks ids and secrets are letters, digits and '-', which encoding leaves as they are.
    const basic = Buffer.from(`${encodeURIComponent(this.auth.clientId)}:${encodeURIComponent(this.auth.clientSecret)}`).toString("base64");
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.host}/oidc/v1/token`, {
        method: "POST",
        headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: "grant_type=client_credentials&scope=all-apis",
        signal,
      });
    } catch (e) {
      if (isAbort(e)) throw e;
      throw new OpsError(EXIT.FAILURE, `OAuth M2M token request to ${this.host}/oidc/v1/token failed: ${unreachable(this.host, e).message}`);
    }
    const body = await response.text();
    if (!response.ok) {
      throw new OpsError(EXIT.FAILURE, `OAuth M2M token request to ${this.host}/oidc/v1/token was refused: ${apiError(response.status, response.statusText, body).describe()}; check DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (a service principal of this workspace)`);
    }
    let doc: { access_token?: unknown; expires_in?: unknown };
    try {
      doc = JSON.parse(body) as typeof doc;
    } catch {
      doc = {};
    }
    if (typeof doc.access_token !== "string" || doc.access_token === "") {
      throw new OpsError(EXIT.FAILURE, `OAuth M2M token request to ${this.host}/oidc/v1/token answered without an access_token`);
    }
    const seconds = typeof doc.expires_in === "number" && doc.expires_in > 0 ? doc.expires_in : 3600;
    this.accessToken = { value: doc.access_token, expiresAt: Date.now() + seconds * 1000 };
  }

  /**
   * `method path` with an optional JSON body; resolves to the parsed JSON answer (`{}` for an empty one).
   * A {@link RETRIABLE_STATUSES} answer is retried after its `Retry-After` or a short backoff
   * ({@link retryDelayMs}) while the deadline leaves time for the wait; when the deadline ends the retries,
   * the last answer's error is thrown (it says more than "no answer").
   * @throws DatabricksApiError for a non-2xx answer or an unreachable host; the AbortSignal's error when it
   *   fires before any answer; OpsError FAILURE when an OAuth token request is refused
   */
  async request<T>(method: "GET" | "POST", path: string, body: unknown, deadline: CallDeadline): Promise<T> {
    let last: DatabricksApiError | undefined;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      let text: string;
      try {
        await this.authenticate(deadline.signal);
        const bearer = this.auth.type === "pat" ? this.auth.token : this.accessToken!.value;
        response = await this.fetchImpl(`${this.host}${path}`, {
          method,
          headers: { Authorization: `Bearer ${bearer}`, Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: deadline.signal,
        });
        text = await response.text();
      } catch (e) {
        if (isAbort(e)) throw last ?? e;
        if (e instanceof OpsError) throw e;
        throw unreachable(this.host, e);
      }
      if (response.ok) {
        if (text.trim() === "") return {} as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new DatabricksApiError(response.status, undefined, `${method} ${path} answered HTTP ${response.status} with a body that is not JSON`);
        }
      }
      const error = apiError(response.status, response.statusText, text).after(attempt);
      if (!RETRIABLE_STATUSES.has(response.status)) throw error;
      const retryAfter = response.headers.get("retry-after");
      const delay = retryDelayMs(retryAfter, attempt);
      if (delay >= deadline.remainingMs()) {
        const seconds = retryAfterSeconds(retryAfter);
        const asked = seconds !== undefined ? `Retry-After ${seconds} s` : "the next retry";
        throw error.after(attempt, `${asked} is past the deadline`);
      }
      last = error;
      if (!(await sleep(delay, deadline.signal))) throw last;
    }
  }
}

/** A request that never got an answer: the network error's code (ECONNREFUSED, ENOTFOUND, ...). */
function unreachable(host: string, e: unknown): DatabricksApiError {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  const reason = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : (e as Error).message;
  return new DatabricksApiError(0, undefined, `cannot reach ${host}: ${oneLine(String(reason))}`);
}
