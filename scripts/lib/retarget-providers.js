#!/usr/bin/env node
// Usage: node scripts/lib/retarget-providers.js <cdk.tf.json> <providers.tsv>
//
// Points a stack's required_providers at the versions the toolchain mirror really holds, where they
// differ from the ones the bindings require (the Go module proxy did not serve the exact ones; see
// docs/toolchain.md). Rewrites the file in place and prints one NOTE line per substitution.
// providers.tsv is written by scripts/toolchain.sh: type, namespace, wanted, actual, module version.
// Used by validate.sh and e2e.sh, on copies of the synthesized stacks, never on cdktf.out itself.
const fs = require("fs");
const [file, tsv] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(file, "utf8"));
const subst = {};
if (fs.existsSync(tsv)) {
  for (const line of fs.readFileSync(tsv, "utf8").split("\n")) {
    const [type, ns, wanted, actual] = line.split("\t");
    if (type && wanted !== actual) subst[`${ns}/${type}`] = { wanted, actual };
  }
}
const req = (doc.terraform && doc.terraform.required_providers) || {};
for (const [name, spec] of Object.entries(req)) {
  if (!spec || typeof spec !== "object") continue;
  const src = (spec.source || name).toLowerCase().split("/");
  const key = src.length === 1 ? `hashicorp/${src[0]}` : src.slice(-2).join("/");
  const s = subst[key];
  if (s && spec.version !== undefined) {
    console.log(`NOTE: ${key}: bindings require "${spec.version}", toolchain mirror holds ${s.actual} (exact ${s.wanted} not in the toolchain: see docs/toolchain.md)`);
    spec.version = s.actual;
  }
}
fs.writeFileSync(file, JSON.stringify(doc, null, 2));
