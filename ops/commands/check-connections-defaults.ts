/**
 * Defaults and bounds of `dbx check-connections`, in a module of their own without imports: `dbx --help`
 * prints them without loading the command (which pulls in the vars loader and the provider bindings).
 */

/** Seconds each connection's check may take (lookup, statement and polling together): default and bounds of `--timeout-seconds`. */
export const CHECK_TIMEOUT_SECONDS = { default: 30, max: 3600 } as const;

/** Milliseconds between two polls of a running statement: default and bounds of `--poll-interval-ms`. */
export const POLL_INTERVAL_MS = { default: 1000, min: 10, max: 60_000 } as const;

/**
 * `wait_timeout` of the Statement Execution API: `0s` (return at once) or 5 to 50 seconds
 * (docs.databricks.com/api/workspace/statementexecution/executestatement).
 */
export const STATEMENT_WAIT_SECONDS = { min: 5, max: 50 } as const;

/** Milliseconds a cancel request of a timed-out statement may take (it runs after the connection's deadline). */
export const CANCEL_TIMEOUT_MS = 5000;
