/**
 * Defaults and limits of the storage constructs, written once: the constructs and the vars schema
 * (config/schema.ts) both import them. No imports, so reading them loads no provider code.
 */

/**
 * `EncryptedBucket.denyOtherEncryptionOnWrite` when omitted, and per bucket kind in the vars file
 * (`storage.denyOtherEncryptionOnWrite`): deny uploads that ask for another encryption than SSE-KMS with the
 * bucket's key. On by default: it never denies an upload without encryption headers (default encryption
 * applies the key), so Databricks' own writers are unaffected (DESIGN.md, "Encryption").
 */
export const DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE = true;

/** `EncryptedBucket.noncurrentVersionExpirationDays` when omitted. */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;

/** `forceDestroy` when omitted: a bucket that holds objects is never deleted by `destroy`. */
export const DEFAULT_FORCE_DESTROY = false;

/** KMS `deletion_window_in_days`: AWS allows 7 to 30 (KMS API ScheduleKeyDeletion, PendingWindowInDays). */
export const KMS_DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;

/** `WorkspaceKeys.deletionWindowDays` when omitted: the longest window AWS allows. */
export const DEFAULT_KMS_DELETION_WINDOW_DAYS = KMS_DELETION_WINDOW_DAYS.max;

/**
 * `WorkspaceKeys.accountRootAdministration` (vars `encryption.kmsKeyAccountRootAdmin`) when omitted: keep the
 * AWS default key-policy statement that gives the account root `kms:*`, so IAM governs administration and the
 * key-policy lockout check passes whoever deploys (AWS KMS "Default key policy").
 */
export const DEFAULT_KMS_KEY_ACCOUNT_ROOT_ADMIN = true;
