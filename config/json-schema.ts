/**
 * The JSON Schema of one vars file (`vars/common.json` or `vars/<env>.json`), emitted from the zod schema
 * (config/schema.ts) so editors complete and check the files with the same fields, types, enums, bounds and
 * defaults the loader applies. A file is one layer: the loader merges each `<env>.json` over common.json
 * (config/load.ts, `mergeVarsLayers`), so either file may leave out any field the other gives. The schema
 * therefore requires no field of an object a layer may give in part (every object reached through object
 * fields); the items of a list stay whole, because a list in an environment's file replaces common's
 * whole. Missing required fields, cross-field rules and refinements (overlapping subnets, reserved names,
 * cross-environment uniqueness) are the loader's: it checks the merged settings and remains the authority.
 *
 *   npm run vars-schema            # rewrites vars/schema.json
 *   npm run vars-schema -- --check # exits 1 when vars/schema.json is out of date
 *
 * Each vars file names it with `"$schema": "./schema.json"`; the loader accepts and ignores that field
 * (common.json's is not merged).
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { varsObjectSchema } from "./schema";

type JsonSchema = Record<string, unknown>;

const isSchema = (value: unknown): value is JsonSchema => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * `schema` as one layer may give it: without `required` on the object itself, on the objects of its fields
 * and map values and on the shapes of a union there; list items (`items`) are left whole.
 */
export function layerSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "required"));
  if (isSchema(out.properties)) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, isSchema(v) ? layerSchema(v) : v]));
  if (isSchema(out.additionalProperties)) out.additionalProperties = layerSchema(out.additionalProperties);
  for (const union of ["anyOf", "oneOf", "allOf"]) {
    const shapes = out[union];
    if (Array.isArray(shapes)) out[union] = shapes.map((v) => (isSchema(v) ? layerSchema(v) : v));
  }
  return out;
}

/** The schema document, as written to vars/schema.json (draft-07: the widest editor support). */
export function varsJsonSchema(): JsonSchema {
  const schema = layerSchema(z.toJSONSchema(varsObjectSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as JsonSchema);
  return {
    $schema: schema.$schema,
    title: "databricks-aws-cdktf settings file (vars/common.json or vars/<env>.json)",
    description:
      "Generated from config/schema.ts by `npm run vars-schema`; do not edit. One layer: each vars/<env>.json is deep-merged over vars/common.json, so no field of a merged object is required here; list items stay whole (a list replaces the inherited one). The loader checks the merged settings: required fields and the cross-field rules this schema cannot express.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}

/** The file's text: two-space indentation and a final newline. */
export function varsJsonSchemaText(): string {
  return `${JSON.stringify(varsJsonSchema(), null, 2)}\n`;
}

export const VARS_SCHEMA_FILE = path.join(__dirname, "..", "vars", "schema.json");

if (require.main === module) {
  const text = varsJsonSchemaText();
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(VARS_SCHEMA_FILE) ? fs.readFileSync(VARS_SCHEMA_FILE, "utf8") : "";
    if (current !== text) {
      process.stderr.write("vars/schema.json is out of date: run `npm run vars-schema`\n");
      process.exit(1);
    }
  } else {
    fs.writeFileSync(VARS_SCHEMA_FILE, text);
    process.stdout.write(`wrote ${path.relative(process.cwd(), VARS_SCHEMA_FILE)}\n`);
  }
}
