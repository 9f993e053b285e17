/**
 * The "no literal secret" rule, written once for the connection construct and the synth rule DBX003:
 * a secret must be a reference to an input that holds no value at synth time, so nothing secret can be
 * written to `cdk.tf.json`. Accepted, after resolving the token in its stack:
 *
 * - exactly `${var.NAME}` where `NAME` is a `TerraformVariable` of the stack **without a default**
 *   (set by `TF_VAR_NAME` at deploy time; Terraform's "Input Variables" docs);
 * - exactly `${data.TYPE.NAME.ATTRIBUTE...}`: a data source attribute, read at plan time, which includes a
 *   `terraform_remote_state` output (`${data.terraform_remote_state.NAME.outputs.X}`).
 *
 * Everything else is refused: a variable with a default (the default is in `cdk.tf.json`), `Lazy.stringValue`
 * producing a literal, `Fn.join` or any expression over literals, text around a reference, and a resource
 * attribute (pass a value of another stack through a remote-state data source or a variable).
 */
import { DefaultTokenResolver, StringConcat, TerraformStack, TerraformVariable, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";

const VARIABLE_REFERENCE = /^\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}$/;
const DATA_REFERENCE = /^\$\{data\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+|\[[^\]\s]*\])+\}$/;

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

/**
 * Why `value` is not an acceptable secret for a resource under `scope`, as the rest of a sentence
 * "expected a reference …, found …"; undefined when it is acceptable. Never contains the value.
 */
export function secretReferenceProblem(scope: IConstruct, value: unknown): string | undefined {
  const expected = "expected a reference to an input that holds no value at synth time (the .stringValue of a TerraformVariable without a default, set by TF_VAR_* at deploy time, or a data source or remote-state attribute)";
  if (typeof value !== "string") return `${expected}, found ${typeName(value)}`;
  const stack = TerraformStack.of(scope);
  const resolved: unknown = Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
  if (typeof resolved !== "string") return `${expected}, found a token that resolves to ${typeName(resolved)}`;
  const variable = VARIABLE_REFERENCE.exec(resolved);
  if (variable) {
    const declared = stack.node.findAll().find((c): c is TerraformVariable => c instanceof TerraformVariable && stack.getLogicalId(c) === variable[1]);
    if (!declared) return `${expected}, found a reference to variable "${variable[1]}", which this stack does not declare`;
    if (declared.default !== undefined) return `${expected}, found a reference to variable "${variable[1]}", which has a default: the default would be written to cdk.tf.json`;
    return undefined;
  }
  if (DATA_REFERENCE.test(resolved)) return undefined;
  if (!resolved.includes("${")) return `${expected}, found a literal (written to cdk.tf.json as it is)`;
  if (/^\$\{[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[^}]+\}$/.test(resolved) && !resolved.startsWith("${var.") && !resolved.startsWith("${local.")) {
    return `${expected}, found a resource attribute reference`;
  }
  return `${expected}, found an expression that is not a single reference (a function call, a local, or text around a reference)`;
}
