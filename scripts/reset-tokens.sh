#!/usr/bin/env bash
#/ Usage: scripts/reset-tokens.sh <env> [--dry-run] [--auto-approve]
#/
#/ Re-issues the credentials the management stack runs with, by deploying provisioning-<env> alone and
#/ replacing exactly the credential resources: the rotation clock (time_rotating), the automation service
#/ principal's OAuth secret and, in PAT mode, its token. Nothing else is replaced, and management-<env> is
#/ never touched: it reads the new credentials from provisioning's outputs on its next run.
#/ Use it when management-<env> fails to authenticate because its credentials expired (they live
#/ credentials.lifetimeDays and rotate at half of it on any provisioning deploy).
#/
#/ It runs, from the repository root:
#/   env ENVS=<env> npm run synth
#/ then, in cdktf.out/stacks/provisioning-<env>:
#/   <binary> init -input=false
#/   <binary> apply -input=false -replace=<address> -target=<address> ...   (one pair per credential resource)
#/ -target keeps the run to the credential resources (and what they read); -replace re-issues them.
#/
#/ Options:
#/   --dry-run       print the resources it would replace and the commands; run nothing (needs no
#/                   credentials and no Terraform binary)
#/   --auto-approve  apply without Terraform's confirmation prompt
#/   -h, --help      this text
#/
#/ Environment: TERRAFORM_BINARY_NAME (default terraform; e.g. tofu), VARS_DIR (default vars/),
#/ AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET
#/ (the account-level service principal that deploys provisioning).
#/
#/ Exit codes: 0 done (or --help, --dry-run); 1 a step failed or the vars file is invalid; 2 usage error;
#/ 3 unknown environment; 5 missing program (node, npm ci not run, terraform/tofu); 6 no AWS credentials;
#/ 7 no Databricks credentials.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

parse_env_args "${BASH_SOURCE[0]}" "" "$@"
# shellcheck disable=SC2153 # set by parse_env_args
env_name="$ENV_NAME" dry_run="$DRY_RUN" auto_approve="$AUTO_APPROVE"

use_env "$env_name"
require_node_modules
if ((dry_run == 0)); then
  require_terraform
  require_aws_credentials
  require_databricks_credentials
fi

stack="provisioning-$env_name"
info "resolving the credential resources of $stack"
addresses=()
while IFS= read -r address; do
  [[ -n "$address" ]] && addresses+=("$address")
done < <(cd "$REPO_ROOT" && node_modules/.bin/tsx scripts/credential-addresses.ts "$env_name") ||
  die "$EXIT_FAILURE" "could not resolve the credential resources of $stack"
((${#addresses[@]} > 0)) || die "$EXIT_FAILURE" "$stack declares no credential resources"

echo "Resources to replace in $stack:"
printf '  %s\n' "${addresses[@]}"

tf="$(terraform_binary)"
synth_cmd=(env "ENVS=$env_name" npm run synth)
init_cmd=("$tf" init -input=false)
apply_cmd=("$tf" apply -input=false)
for address in "${addresses[@]}"; do apply_cmd+=("-replace=$address" "-target=$address"); done
((auto_approve == 0)) || apply_cmd+=(-auto-approve)

if ((dry_run == 1)); then
  echo "Dry run: nothing synthesized or applied. Would run, from the repository root:"
  echo "  $(show_command "${synth_cmd[@]}")"
  echo "and in cdktf.out/stacks/$stack:"
  echo "  $(show_command "${init_cmd[@]}")"
  echo "  $(show_command "${apply_cmd[@]}")"
  exit 0
fi

run "${synth_cmd[@]}"
stack_dir="$REPO_ROOT/cdktf.out/stacks/$stack"
[[ -f "$stack_dir/cdk.tf.json" ]] || die "$EXIT_FAILURE" "synth wrote no $stack: expected $stack_dir/cdk.tf.json"
printf '+ (cd cdktf.out/stacks/%s && %s)\n' "$stack" "$(show_command "${init_cmd[@]}")" >&2
(cd "$stack_dir" && "${init_cmd[@]}") || die "$EXIT_FAILURE" "failed: $(show_command "${init_cmd[@]}")"
printf '+ (cd cdktf.out/stacks/%s && %s)\n' "$stack" "$(show_command "${apply_cmd[@]}")" >&2
(cd "$stack_dir" && "${apply_cmd[@]}") || die "$EXIT_FAILURE" "failed: $(show_command "${apply_cmd[@]}")"
echo "Replaced in $stack:"
printf '  %s\n' "${addresses[@]}"
info "credentials re-issued; management-$env_name picks them up on its next deploy"
