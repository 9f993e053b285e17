/**
 * A construct id renamed on purpose, in-process: a modified build gives the root bucket the construct id
 * "dbfs-root-bucket" instead of "root-bucket", and the state-contract check fails naming every address that
 * Terraform would destroy and create, i.e. the bucket and everything under it would be replaced. The same
 * rename with moveFromId on each resource (the intended-rename path) is reported as moves instead.
 */
import { TerraformResource } from "cdktf";
import type * as EncryptedBucketModule from "../constructs/storage/encrypted-bucket";
import { checkContract, formatDiff, readContract, type SynthesizedStack } from "../scripts/state-contract";
import type * as App from "../stacks/app";
import { loadWithReplacedModule, synthEnvsFresh } from "./helpers";

/** What the modified build does (read by the replaced EncryptedBucket below). */
const rename = { enabled: false, moveState: false };

/** stacks/app.ts loaded anew with an EncryptedBucket that gives "root-bucket" another construct id when `rename.enabled`. */
const { addEnvironmentStacks } = loadWithReplacedModule<typeof App>("stacks/app", "constructs/storage/encrypted-bucket", (actual: typeof EncryptedBucketModule) => {
  class MaybeRenamedBucket extends actual.EncryptedBucket {
    constructor(...[scope, id, props]: ConstructorParameters<typeof actual.EncryptedBucket>) {
      const renamed = rename.enabled && id === "root-bucket";
      super(scope, renamed ? "dbfs-root-bucket" : id, props);
      if (!renamed || !rename.moveState) return;
      // The intended-rename path: each resource takes over the state of its old address.
      const contract = readContract("provisioning-dev") as Record<string, string>;
      for (const child of this.node.children) {
        if (!(child instanceof TerraformResource)) continue;
        const old = Object.keys(contract).find((address) => contract[address] === `root-bucket/${child.node.id}`);
        if (old) child.moveFromId(old);
      }
    }
  }
  return { ...actual, EncryptedBucket: MaybeRenamedBucket };
});

// A synth of its own, with the modified build: never the run's shared synth.
const synthDev = () => synthEnvsFresh(["dev"], {}, undefined, addEnvironmentStacks)["provisioning-dev"] as SynthesizedStack;
const devDiff = () => checkContract({ "provisioning-dev": synthDev() }).filter((d) => d.stack === "provisioning-dev");
/** The root bucket's resources in the checked-in contract: what a rename would destroy. */
const rootBucketAddresses = Object.entries(readContract("provisioning-dev")!).filter(([, p]) => p.startsWith("root-bucket/")).map(([a]) => a);

test("the unmodified build matches the contract", () => {
  rename.enabled = false;
  expect(devDiff()).toEqual([]);
});

test("renaming the root bucket's construct id fails the contract, naming the addresses that would be replaced", () => {
  rename.enabled = true;
  rename.moveState = false;
  const [diff] = devDiff();
  expect(rootBucketAddresses).toHaveLength(7);
  expect(diff.destroyed.map((r) => r.address)).toEqual(rootBucketAddresses);
  expect(diff.created.map((r) => r.path).sort()).toEqual(diff.destroyed.map((r) => r.path.replace(/^root-bucket\//, "dbfs-root-bucket/")).sort());
  expect(diff.moved).toEqual([]);
  const message = formatDiff(diff);
  expect(message).toMatch(/would be destroyed \(in the contract, gone from the configuration\): 7\n {4}- aws_s3_bucket\.root-bucket_[0-9A-F]{8} {2}\(root-bucket\/bucket\)/);
  expect(message).toMatch(/would be created \(new addresses\): 7\n {4}\+ aws_s3_bucket\.dbfs-root-bucket_[0-9A-F]{8} {2}\(dbfs-root-bucket\/bucket\)/);
  expect(message).toMatch(/<construct at dbfs-root-bucket\/bucket>\.moveFromId\("aws_s3_bucket\.root-bucket_[0-9A-F]{8}"\);/);
  expect(message).toContain("npm run state-contract -- --update");
});

test("the same rename with moveFromId is reported as moves: the state follows, nothing is replaced", () => {
  rename.enabled = true;
  rename.moveState = true;
  const [diff] = devDiff();
  expect(diff.destroyed).toEqual([]);
  expect(diff.created).toEqual([]);
  expect(diff.moved.map((m) => m.from).sort()).toEqual([...rootBucketAddresses].sort());
  expect(diff.moved.every((m) => m.to.includes("dbfs-root-bucket_"))).toBe(true);
});
