/**
 * The state contract (scripts/state-contract.ts): every resource address of every shipped stack is the one
 * checked in under state-contract/, so a replacement of real infrastructure is always a reviewed decision.
 */
import {
  checkContract, compareInventory, contractStacks, formatDiff, inventoryOf, readContract, updateContract, UPDATE_COMMAND, type SynthesizedStack,
} from "../scripts/state-contract";
import { synthEnvs } from "./helpers";
import { tempDir } from "./run-dir";

const stacks = synthEnvs() as Record<string, SynthesizedStack>;

test("the contract covers exactly the shipped stacks", () => {
  expect(contractStacks()).toEqual(Object.keys(stacks).sort());
});

test.each(Object.keys(stacks).sort())("%s: every resource address is the one in the state contract", (stackId) => {
  const [diff] = checkContract({ [stackId]: stacks[stackId] }).filter((d) => d.stack === stackId);
  // On failure the message says what Terraform would destroy and create, and how to accept or move.
  if (diff) throw new Error(formatDiff(diff));
  expect(inventoryOf(stacks[stackId])).toEqual(readContract(stackId));
});

describe("the comparison", () => {
  const before = { "aws_s3_bucket.a_1": "a", "aws_kms_key.k_1": "k", "aws_vpc.v_1": "v" };

  test("unchanged addresses give no difference", () => {
    expect(compareInventory("s", before, { ...before })).toEqual({ stack: "s", destroyed: [], created: [], moved: [] });
  });

  test("a renamed address is one destroyed and one created, with the moveFromId call that keeps the state", () => {
    const diff = compareInventory("s", before, { "aws_s3_bucket.b_2": "b", "aws_kms_key.k_1": "k", "aws_vpc.v_1": "v" });
    expect(diff.destroyed).toEqual([{ address: "aws_s3_bucket.a_1", path: "a" }]);
    expect(diff.created).toEqual([{ address: "aws_s3_bucket.b_2", path: "b" }]);
    const message = formatDiff(diff);
    expect(message).toContain("would be destroyed (in the contract, gone from the configuration): 1\n    - aws_s3_bucket.a_1  (a)");
    expect(message).toContain("would be created (new addresses): 1\n    + aws_s3_bucket.b_2  (b)");
    expect(message).toContain('<construct at b>.moveFromId("aws_s3_bucket.a_1");');
    expect(message).toContain(UPDATE_COMMAND);
  });

  test("a rename carried by a moved block is reported as moved, not destroyed", () => {
    const diff = compareInventory("s", before, { "aws_s3_bucket.b_2": "b", "aws_kms_key.k_1": "k", "aws_vpc.v_1": "v" }, [{ from: "aws_s3_bucket.a_1", to: "aws_s3_bucket.b_2" }]);
    expect(diff).toEqual({ stack: "s", destroyed: [], created: [], moved: [{ from: "aws_s3_bucket.a_1", to: "aws_s3_bucket.b_2" }] });
    expect(formatDiff(diff)).toContain("~ aws_s3_bucket.a_1 -> aws_s3_bucket.b_2");
  });

  test("a stack that is no longer synthesized is destroyed entirely; a new stack is created entirely", () => {
    const dir = tempDir("contract-");
    const stack = (bucket: string): SynthesizedStack => ({ resource: { aws_s3_bucket: { [bucket]: { "//": { metadata: { path: `x/${bucket}` } } } } } });
    updateContract({ old: stack("a_1") }, dir);
    const diffs = checkContract({ new: stack("b_1") }, dir);
    expect(diffs.map((d) => [d.stack, d.destroyed.map((r) => r.address), d.created.map((r) => r.address)])).toEqual([
      ["new", [], ["aws_s3_bucket.b_1"]],
      ["old", ["aws_s3_bucket.a_1"], []],
    ]);
    updateContract({ new: stack("b_1") }, dir);
    expect(contractStacks(dir)).toEqual(["new"]);
    expect(checkContract({ new: stack("b_1") }, dir)).toEqual([]);
  });
});
