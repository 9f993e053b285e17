/**
 * Defaults and limits of the storage constructs, written once: the constructs and the vars schema
 * (config/schema.ts) both import them. No imports, so reading them loads no provider code.
 */

/**
 * `EncryptedBucket.enforceSseKmsOnWrite` when omitted. Off for a generic bucket (the logging bucket's
 * writers are AWS and Databricks services whose headers we do not control); the vars file turns it on
 * per bucket kind, see {@link DEFAULT_ENFORCE_SSE_KMS_ON_WRITE}.
 */
export const DEFAULT_BUCKET_ENFORCE_SSE_KMS_ON_WRITE = false;

/**
 * Write enforcement per bucket kind in the vars file (`storage.enforceSseKmsOnWrite`): on for the data
 * lake (our writers, configured with the key by the cluster policy), off for the workspace root bucket
 * (written by Databricks itself; default encryption already applies the key).
 */
export const DEFAULT_ENFORCE_SSE_KMS_ON_WRITE = { dbfs: false, dataLake: true } as const;

/** `EncryptedBucket.noncurrentVersionExpirationDays` when omitted. */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;

/** `forceDestroy` when omitted: a bucket that holds objects is never deleted by `destroy`. */
export const DEFAULT_FORCE_DESTROY = false;

/** KMS `deletion_window_in_days`: AWS allows 7 to 30 (KMS API ScheduleKeyDeletion, PendingWindowInDays). */
export const KMS_DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;

/** `WorkspaceKeys.deletionWindowDays` when omitted: the longest window AWS allows. */
export const DEFAULT_KMS_DELETION_WINDOW_DAYS = KMS_DELETION_WINDOW_DAYS.max;
