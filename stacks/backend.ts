import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { Vars } from "../config/schema";

/**
 * Local state (default, works offline) at the repository root as `terraform.<stack>.tfstate`, outside
 * `cdktf.out` so a fresh synth never touches it; or S3 with native lock files and encryption.
 * The path is relative to the stack's working directory `cdktf.out/stacks/<stack>/`, so it is the same
 * on every machine and for the management stack's remote-state reads.
 */
export function configureBackend(stack: TerraformStack, stackId: string, backend: Vars["backend"]): void {
  if (backend.type === "local") {
    new LocalBackend(stack, { path: `../../../terraform.${stackId}.tfstate` });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix}/${stackId}.tfstate`,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyId,
  });
  // cdktf 0.21's S3Backend has no useLockfile; S3-native locking replaces DynamoDB tables.
  s3.addOverride("use_lockfile", true);
}
