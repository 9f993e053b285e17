/**
 * vars/common.json overlays: each vars/<env>.json is deep-merged over it (config/load.ts, mergeVarsLayers).
 * The merge rules, the shipped split, what every reader of the environments sees, and that common.json is
 * never an environment. The bad-input lines (which file a message names) are cases of bad-input-cases.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { COMMON_FILE, ConfigError, listEnvironments, loadEnvironments, mergeVarsLayers, readVarsInput, SCHEMA_FILE, type Environment } from "../config/load";
import { guardProtected, loadEnvironmentsNamed } from "../ops/environment";
import type { Context } from "../ops/context";
import { EXIT, OpsError } from "../ops/exit-codes";
import { readVars, tempVarsDir, VARS_DIR } from "./helpers";
import { z } from "zod";
import { varsObjectSchema } from "../config/schema";

type Doc = Record<string, any>;

/** `v` split into common.json (the top-level fields `shared`) and `<env>.json` (the rest). */
function split(v: Doc, shared: readonly string[]): { common: Doc; env: Doc } {
  return {
    common: Object.fromEntries(Object.entries(v).filter(([k]) => shared.includes(k))),
    env: Object.fromEntries(Object.entries(v).filter(([k]) => !shared.includes(k))),
  };
}

/** The problems loading `names` from `dir` reports; [] when it loads. */
function problems(dir: string, names: string[] = []): string[] {
  try {
    loadEnvironments(dir, names);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return [...e.problems];
  }
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function dirOf(files: Record<string, unknown>): string {
  const dir = tempVarsDir(files);
  dirs.push(dir);
  return dir;
}
const shown = (dir: string, file: string) => path.join(path.relative(process.cwd(), dir), file);

describe("merge rules (mergeVarsLayers: common first, the environment's file over it)", () => {
  test.each<[string, Doc, Doc, Doc]>([
    ["objects merge key by key", { cluster: { sparkVersion: "15.4.x-scala2.12", minWorkers: 1 } }, { cluster: { minWorkers: 2, nodeTypeId: "m6i.large" } }, { cluster: { minWorkers: 2, nodeTypeId: "m6i.large", sparkVersion: "15.4.x-scala2.12" } }],
    ["nested objects merge at every level", { network: { flowLogs: { enabled: true, retentionDays: 365 } } }, { network: { flowLogs: { trafficType: "ALL" }, cidrBlock: "10.0.0.0/16" } }, { network: { flowLogs: { trafficType: "ALL", enabled: true, retentionDays: 365 }, cidrBlock: "10.0.0.0/16" } }],
    ["maps (tags) merge key by key", { tags: { Project: "p", Owner: "o" } }, { tags: { Owner: "me", Environment: "dev" } }, { tags: { Owner: "me", Environment: "dev", Project: "p" } }],
    ["lists are replaced, never concatenated", { network: { availabilityZones: ["a", "b", "c"] } }, { network: { availabilityZones: ["x"] } }, { network: { availabilityZones: ["x"] } }],
    ["an empty list replaces too", { connections: [{ name: "c" }] }, { connections: [] }, { connections: [] }],
    ["scalars are replaced", { region: "eu-west-1", protected: true }, { region: "us-east-1", protected: false }, { region: "us-east-1", protected: false }],
    ["null is a value that replaces, not a deletion", { cluster: { nodeTypeId: "m6i.large" } }, { cluster: null }, { cluster: null }],
    ["a scalar replaces an object and an object a scalar", { cluster: { nodeTypeId: "m6i.large" }, region: "eu-west-1" }, { cluster: "big", region: { name: "x" } }, { cluster: "big", region: { name: "x" } }],
    ["fields only one file gives are kept", { namePrefix: "acme" }, { region: "us-east-1" }, { region: "us-east-1", namePrefix: "acme" }],
    ["a backend of another type replaces common's whole", { backend: { type: "s3", bucket: "state", region: "eu-west-1" } }, { backend: { type: "local" } }, { backend: { type: "local" } }],
    ["a backend of the same type merges", { backend: { type: "s3", bucket: "state", region: "eu-west-1" } }, { backend: { type: "s3", keyPrefix: "prod" } }, { backend: { type: "s3", keyPrefix: "prod", bucket: "state", region: "eu-west-1" } }],
    ["a backend without its type merges into common's", { backend: { type: "s3", bucket: "state", region: "eu-west-1" } }, { backend: { keyPrefix: "dev" } }, { backend: { keyPrefix: "dev", type: "s3", bucket: "state", region: "eu-west-1" } }],
    ["a metastore of another source replaces common's whole", { unityCatalog: { metastore: { source: "existing", metastoreId: "m" } } }, { unityCatalog: { metastore: { source: "create", name: "n" } } }, { unityCatalog: { metastore: { source: "create", name: "n" } } }],
    ["a backend without its type in common merges under the environment's typed one", { backend: { bucket: "state", region: "eu-west-1" } }, { backend: { type: "s3", keyPrefix: "dev" } }, { backend: { type: "s3", keyPrefix: "dev", bucket: "state", region: "eu-west-1" } }],
    ["a metastore without its source in common merges under the environment's", { unityCatalog: { metastore: { owner: "admins" } } }, { unityCatalog: { metastore: { source: "create", name: "n" } } }, { unityCatalog: { metastore: { source: "create", name: "n", owner: "admins" } } }],
    ["an environment's file that is not an object replaces common whole", { region: "eu-west-1" }, [] as unknown as Doc, [] as unknown as Doc],
  ])("%s", (_name, common, env, merged) => {
    const before = JSON.stringify([common, env]);
    expect(mergeVarsLayers(common, env)).toEqual(merged);
    expect(JSON.stringify([common, env])).toBe(before); // the inputs are not changed
  });

  test("keys keep the environment's order, inherited keys after", () => {
    expect(Object.keys(mergeVarsLayers({ a: 1, b: 2 }, { c: 3, a: 4 }) as Doc)).toEqual(["c", "a", "b"]);
  });

  test('a "__proto__" field stays a field (no prototype is changed)', () => {
    const merged = mergeVarsLayers(JSON.parse('{"tags": {"__proto__": {"polluted": "yes"}}}'), JSON.parse('{"tags": {"x": "1"}}')) as Doc;
    expect(Object.hasOwn(merged.tags, "__proto__")).toBe(true);
    expect(({} as Doc).polluted).toBeUndefined();
    expect(merged.tags.polluted).toBeUndefined();
  });
});

describe("keys of free-form maps (every record of the vars schema)", () => {
  /** Every record reachable in `varsObjectSchema`, with the path of fields that leads to it. */
  function records(): { at: string; schema: z.core.$ZodType }[] {
    const found: { at: string; schema: z.core.$ZodType }[] = [];
    const seen = new Set<unknown>();
    const walk = (node: unknown, at: string): void => {
      if (node === null || typeof node !== "object" || seen.has(node)) return;
      seen.add(node);
      if (Array.isArray(node)) return node.forEach((n) => walk(n, at));
      const zod = (node as { _zod?: { def: Record<string, unknown> } })._zod;
      if (!zod) return Object.entries(node).forEach(([k, n]) => walk(n, at ? `${at}.${k}` : k));
      if (zod.def.type === "record") found.push({ at, schema: node as z.core.$ZodType });
      for (const [k, child] of Object.entries(zod.def)) if (k !== "checks") walk(child, at);
    };
    walk(varsObjectSchema, "");
    return found;
  }

  test("tags and every properties map are found (control: the walk reaches the records)", () => {
    // A connection's and a foreign catalog's properties share one rule (one schema object).
    expect(records().map((r) => r.at)).toEqual(expect.arrayContaining(["tags", "connections.properties"]));
  });

  test.each(["__proto__", "constructor", "prototype"])("every record refuses the key %s by name, and keeps checking the rest of the map", (key) => {
    for (const { at, schema } of records()) {
      const result = z.safeParse(schema, JSON.parse(`{"ok": "1", ${JSON.stringify(key)}: "x", "another": 2}`));
      expect([at, result.success]).toEqual([at, false]);
      const issues = result.error!.issues;
      expect([at, issues.find((i) => i.path[0] === key)?.code]).toEqual([at, "invalid_key"]);
      expect([at, issues.some((i) => i.path[0] === "another")]).toEqual([at, true]); // the value of another key is still checked
    }
  });
});

describe("the shipped vars/", () => {
  const shipped = loadEnvironments(VARS_DIR);

  test("common.json and schema.json are no environments; every enumeration skips them", () => {
    expect(fs.existsSync(path.join(VARS_DIR, COMMON_FILE))).toBe(true);
    expect(listEnvironments(VARS_DIR)).toEqual(["dev", "prod"]);
    expect(shipped.map((e) => e.name)).toEqual(["dev", "prod"]);
  });

  test("the split files give exactly the settings of one complete file per environment", () => {
    const complete = loadEnvironments(dirOf({ "dev.json": readVars("dev"), "prod.json": readVars("prod") }));
    expect(complete.map((e) => e.vars)).toEqual(shipped.map((e) => e.vars));
  });

  test("the environments' files hold only what differs: nothing they set equals what the other sets", () => {
    const dev = JSON.parse(fs.readFileSync(path.join(VARS_DIR, "dev.json"), "utf8"));
    const prod = JSON.parse(fs.readFileSync(path.join(VARS_DIR, "prod.json"), "utf8"));
    const same: string[] = [];
    const walk = (a: unknown, b: unknown, at: string[]) => {
      if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
        for (const k of Object.keys(a)) if (Object.hasOwn(b, k)) walk((a as Doc)[k], (b as Doc)[k], [...at, k]);
      } else if (JSON.stringify(a) === JSON.stringify(b) && at.join(".") !== "$schema") same.push(at.join("."));
    };
    walk(dev, prod, []);
    expect(same).toEqual([]);
  });

  test("sourceOf names the file each setting was written in", () => {
    const dev = shipped.find((e) => e.name === "dev")!;
    expect(dev.sourceOf(["tags", "Project"])).toEqual({ file: path.join("vars", COMMON_FILE), inherited: true });
    expect(dev.sourceOf(["cluster", "sparkVersion"])).toEqual({ file: path.join("vars", COMMON_FILE), inherited: true });
    expect(dev.sourceOf(["cluster", "nodeTypeId"])).toEqual({ file: path.join("vars", "dev.json"), inherited: false });
    expect(dev.sourceOf(["namePrefix"])).toEqual({ file: path.join("vars", "dev.json"), inherited: false });
    expect(dev.sourceOf(["cluster"])).toEqual({ file: path.join("vars", "dev.json"), inherited: false }); // merged from both
    expect(dev.sourceOf(["privateLink", "workspaceServiceName"])).toEqual({ file: path.join("vars", "dev.json"), inherited: false }); // set nowhere
  });

  test("readVarsInput is the merge of the two files, before defaults", () => {
    const input = readVarsInput(VARS_DIR, "dev") as Doc;
    expect(input.tags).toEqual({ Environment: "dev", Project: "data-platform", CostCenter: "cc-4711", Owner: "data-platform-team" });
    expect(input.$schema).toBe("./schema.json");
    expect(input.encryption.kmsKeyAdminArns).toBeUndefined(); // not a default: only what the files say
  });
});

describe("loading with and without common.json", () => {
  test("no common.json: a complete <env>.json loads as before", () => {
    expect(problems(dirOf({ "dev.json": readVars("dev") }))).toEqual([]);
  });

  test("a partial <env>.json without common.json names every missing field in the environment's file, with no hint of common.json", () => {
    const { env } = split(readVars("dev"), ["cluster"]);
    const dir = dirOf({ "dev.json": env });
    expect(problems(dir)).toEqual([`${shown(dir, "dev.json")}: cluster: expected an object, found nothing (field missing)`]);
  });

  test("a bad value in common.json that the environment's file overrides does not reach the environment", () => {
    const { common, env } = split(readVars("dev"), ["cluster"]);
    common.cluster.nodeTypeId = "large";
    expect(problems(dirOf({ [COMMON_FILE]: common, "dev.json": env }))).toHaveLength(1); // control: inherited, it is refused
    env.cluster = { nodeTypeId: "m6i.large" };
    expect(problems(dirOf({ [COMMON_FILE]: common, "dev.json": env }))).toEqual([]);
  });

  test("a collision between a value one environment sets and one another inherits names both files", () => {
    const dev = readVars("dev");
    const prod = readVars("prod");
    delete prod.databricks.workspaceName;
    const dir = dirOf({ [COMMON_FILE]: { databricks: { workspaceName: dev.databricks.workspaceName } }, "dev.json": dev, "prod.json": prod });
    expect(problems(dir)).toEqual([
      `${shown(dir, COMMON_FILE)}: databricks.workspaceName: expected a workspace name no other environment of this Databricks account uses, found "acme-analytics-dev" (inherited by prod), also at ${shown(dir, "dev.json")}: databricks.workspaceName`,
    ]);
  });

  test("a broken common.json is reported once, with each environment's own file-level problems", () => {
    const dir = dirOf({ [COMMON_FILE]: "{", "dev.json": readVars("dev"), "prod.json": '{"x": 1,}' });
    expect(problems(dir)).toEqual([
      `${shown(dir, COMMON_FILE)}: (top level): expected valid JSON, found a syntax error at line 1, column 2 (close brace expected)`,
      `${shown(dir, "prod.json")}: (top level): expected valid JSON, found a syntax error at line 1, column 9 (property name expected)`,
    ]);
  });
});

describe("common.json is never an environment", () => {
  const dir = () => dirOf({ [COMMON_FILE]: {}, [SCHEMA_FILE]: {}, "dev.json": readVars("dev"), "qa.json": { ...readVars("dev"), namePrefix: "acme-dbx-qa" } });

  test("the environment list skips it", () => {
    expect(listEnvironments(dir())).toEqual(["dev", "qa"]);
  });

  test.each([
    ["common", "holds the settings every environment shares (merged under each <env>.json)"],
    ["schema", "is the JSON Schema of the vars files"],
  ])("the environment %s is refused, saying what the file is", (name, what) => {
    expect(problems(dir(), [name])).toEqual([`environments requested: environment "${name}": expected an environment name, found "${name}": vars/${name}.json ${what}`]);
  });

  test.each([
    ["common", "holds the settings every environment shares (merged under each <env>.json)"],
    ["schema", "is the JSON Schema of the vars files"],
  ])("the ops CLI refuses the environment %s (exit UNKNOWN_ENV) and says what the file is", (name, what) => {
    const d = dir();
    const ctx = { env: { VARS_DIR: d }, cwd: path.dirname(d) } as unknown as Context;
    let error: unknown;
    try {
      loadEnvironmentsNamed(ctx, [name]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OpsError);
    expect((error as OpsError).exitCode).toBe(EXIT.UNKNOWN_ENV);
    expect((error as OpsError).message).toBe(`unknown environment "${name}": ${path.join(path.basename(d), `${name}.json`)} ${what}, it is not an environment (available: dev, qa)`);
  });
});

describe("the protected guard reads the merged settings and names the file that sets the flag", () => {
  const guard = (env: Environment) => {
    try {
      guardProtected(env, "sleep", false, () => undefined);
      return "";
    } catch (e) {
      return (e as Error).message;
    }
  };

  test.each<[string, Doc, Doc, string]>([
    ["inherited from common.json", { protected: true }, {}, `${COMMON_FILE} (inherited by dev)`],
    ["set in the environment's file over common.json", { protected: false }, { protected: true }, "dev.json"],
    ["set in the environment's file alone", {}, { protected: true }, "dev.json"],
  ])("%s", (_name, common, override, file) => {
    const dev = readVars("dev");
    delete dev.protected;
    const dir = dirOf({ [COMMON_FILE]: common, "dev.json": { ...dev, ...override } });
    const [env] = loadEnvironments(dir, ["dev"]);
    expect(guard(env)).toBe(`refusing to sleep "dev": ${shown(dir, file)} has "protected": true; pass --force to sleep it anyway`);
  });

  test("common.json protects, the environment's file unprotects: no refusal", () => {
    const dir = dirOf({ [COMMON_FILE]: { protected: true }, "dev.json": { ...readVars("dev"), protected: false } });
    expect(guard(loadEnvironments(dir, ["dev"])[0])).toBe("");
  });
});
