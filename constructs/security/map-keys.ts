/**
 * Keys of free-form maps (AWS tags, connection and catalog `properties`: every record of the vars schema
 * and of the connection rules), written once for the vars loader (config/schema.ts) and the connection
 * construct (constructs/connections/rules.ts). Only zod: loading it costs nothing.
 *
 * A map is parsed into a JavaScript object, and three key names are that object's internals rather than
 * data ({@link RESERVED_MAP_KEYS}). zod 4's `z.record` (v4 core `$ZodRecord`) never hands two of them to
 * its key schema: it skips `__proto__` silently (the key vanishes from the result, so a tag or property
 * the file asks for is not created and nothing says so), and it refuses a whole map that has an own
 * `constructor` key as "expected record", without naming the key. {@link mapOf} builds records that pass
 * those two to the key schema as well, so all three get the key schema's message ({@link mapKey}).
 */
import { z } from "zod";

/**
 * Key names a map may not use: `__proto__` (the accessor of an object's prototype: assigning it changes
 * the prototype instead of adding a key), `constructor` and `prototype` (the names JavaScript looks up to
 * tell what an object is; zod 4 refuses a map with an own `constructor` key as not a plain object). MDN
 * "Object.prototype.__proto__"; OWASP "Prototype Pollution Prevention Cheat Sheet".
 */
export const RESERVED_MAP_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/** The message for a reserved key: an expectation, as every vars message is. */
export const RESERVED_MAP_KEY_MESSAGE = `expected a key other than ${RESERVED_MAP_KEYS.map((k) => JSON.stringify(k)).join(", ")} (names of JavaScript object internals: such a key would be dropped or would change the map's prototype instead of becoming an entry)`;

/**
 * The key schema every map builds on: a string that is none of {@link RESERVED_MAP_KEYS}. Its check runs
 * first, so its message is the one shown for a reserved key; narrow it with further checks
 * (`mapKey.max(128)`).
 */
export const mapKey = z.string().refine((k) => !RESERVED_MAP_KEYS.includes(k), RESERVED_MAP_KEY_MESSAGE);

/** Keys zod's record parsing never passes to its key schema (see the module comment). */
const HIDDEN_FROM_RECORD: readonly string[] = ["__proto__", "constructor"];

/**
 * A `z.record` that also runs its key schema on an own `__proto__` or `constructor` key of the input:
 * the record parses the input without those keys, and each one that the key schema refuses becomes an
 * `invalid_key` issue at the key, as zod reports any other refused key. It stays a record for everything
 * else (refinements, clones, `.default()`, the JSON Schema), so the emitted vars schema is unchanged.
 */
const MapRecord: z.core.$constructor<z.ZodRecord> = z.core.$constructor("MapRecord", (inst: z.ZodRecord, def: z.core.$ZodRecordDef) => {
  z.ZodRecord.init(inst, def);
  const parse = inst._zod.parse;
  inst._zod.parse = (payload, ctx) => {
    const input = payload.value;
    const hidden = input !== null && typeof input === "object" && !Array.isArray(input) ? HIDDEN_FROM_RECORD.filter((k) => Object.hasOwn(input, k)) : [];
    if (hidden.length === 0) return parse(payload, ctx);
    payload.value = Object.fromEntries(Object.entries(input as object).filter(([k]) => !hidden.includes(k)));
    const report = (result: z.core.ParsePayload) => {
      for (const key of hidden) {
        const keyResult = def.keyType._zod.run({ value: key, issues: [] }, ctx) as z.core.ParsePayload;
        if (keyResult.issues.length === 0) continue;
        result.issues.push({ code: "invalid_key", origin: "record", issues: keyResult.issues.map((iss) => z.core.util.finalizeIssue(iss, ctx, z.core.config())), input: key, path: [key], inst });
      }
      return result;
    };
    const result = parse(payload, ctx);
    return result instanceof Promise ? result.then(report) : report(result);
  };
});

/**
 * `z.record(keyType, valueType, params)` that refuses the {@link RESERVED_MAP_KEYS} through `keyType`,
 * which must build on {@link mapKey}: zod's own record would drop `__proto__` silently and refuse a map
 * with a `constructor` key without naming it.
 */
export function mapOf<K extends z.core.$ZodRecordKey, V extends z.core.$ZodType>(keyType: K, valueType: V, params?: string | z.core.$ZodRecordParams): z.ZodRecord<K, V> {
  return new MapRecord({ type: "record", keyType, valueType, ...z.core.util.normalizeParams(params) }) as unknown as z.ZodRecord<K, V>;
}

/**
 * What a refused map key (a zod `invalid_key` issue, its key last in `issue.path`) is told: the key
 * schema's first expectation and the key, at most 80 characters of it, e.g.
 * `expected a tag key without the prefix "aws:" (reserved for AWS), found the key "aws:x"`. The vars
 * loader and the connection construct both word it so.
 */
export function refusedKeyMessage(issue: z.core.$ZodIssueInvalidKey): string {
  const key = String(issue.path[issue.path.length - 1]);
  const expectation = issue.issues.map((i) => i.message).find((m) => m.startsWith("expected")) ?? "expected a valid key";
  return `${expectation}, found the key ${JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key)}`;
}
