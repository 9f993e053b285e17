/**
 * The JSON Schema of `vars/<env>.json`, emitted from the zod schema (config/schema.ts) so editors complete
 * and check the files with the same fields, types, enums, bounds and defaults the loader applies. Cross-field
 * rules and refinements (overlapping subnets, reserved names, cross-environment uniqueness) are not
 * expressible there: the loader remains the authority.
 *
 *   npm run vars-schema            # rewrites vars/schema.json
 *   npm run vars-schema -- --check # exits 1 when vars/schema.json is out of date
 *
 * Each vars file names it with `"$schema": "./schema.json"`; the loader accepts and ignores that field.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { varsObjectSchema } from "./schema";

/** The schema document, as written to vars/schema.json (draft-07: the widest editor support). */
export function varsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(varsObjectSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: "databricks-aws-cdktf environment settings (vars/<env>.json)",
    description: "Generated from config/schema.ts by `npm run vars-schema`; do not edit. The loader also checks cross-field rules this schema cannot express.",
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
