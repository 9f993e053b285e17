/**
 * Prints what scripts/e2e.sh needs to know about an environment before anything is synthesized, read through
 * the project's own loader (validated, defaults applied), one value per line: the region, then the AWS
 * account id. Usage: tsx scripts/e2e/facts.ts <env>   (VARS_DIR as for main.ts; an absolute path from e2e.sh)
 */
import * as path from "path";
import { ConfigError, loadEnvironments } from "../../config/load";

const [name, ...rest] = process.argv.slice(2);
if (!name || rest.length > 0) {
  console.error("usage: tsx scripts/e2e/facts.ts <env>");
  process.exit(2);
}
try {
  const [env] = loadEnvironments(process.env.VARS_DIR ?? path.join(__dirname, "..", "..", "vars"), [name]);
  console.log(env.vars.region);
  console.log(env.vars.aws.accountId);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(`Invalid configuration:\n${e.problems.map((p) => `  ${p}`).join("\n")}`);
  process.exit(1);
}
