#!/usr/bin/env bash
#/ Usage: scripts/deploy-management.sh <env> [--dry-run] [--auto-approve]
#/
#/ Deploys management-<env> alone. It reads the workspace URL and its credentials from the state of
#/ provisioning-<env> (cdktf cross-stack references), so provisioning must be deployed first; with a local
#/ backend this script checks that its state exists and says so plainly instead of failing deep inside
#/ Terraform. It runs, from the repository root:
#/   env ENVS=<env> npm run synth
#/   npx cdktf deploy management-<env> --skip-synth --ignore-missing-stack-dependencies
#/ (cdktf refuses to deploy a stack whose dependency is not selected unless told to ignore it.)
#/ If it fails to authenticate because the credentials expired, run scripts/reset-tokens.sh <env> first.
#/
#/ Options:
#/   --dry-run       print the commands; run nothing (needs no credentials and no Terraform binary)
#/   --auto-approve  deploy without Terraform's confirmation prompt
#/   -h, --help      this text
#/
#/ Environment: TERRAFORM_BINARY_NAME (default terraform; e.g. tofu), VARS_DIR (default vars/), and the AWS
#/ credentials that can read provisioning's state (S3 backend). Databricks credentials come from
#/ provisioning's outputs, not from the environment.
#/
#/ Exit codes: 0 done (or --help, --dry-run); 1 a step failed, the vars file is invalid, or provisioning-<env>
#/ has no state yet; 2 usage error; 3 unknown environment; 5 missing program.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

parse_env_args "${BASH_SOURCE[0]}" "" "$@"
# shellcheck disable=SC2153 # set by parse_env_args
env_name="$ENV_NAME" dry_run="$DRY_RUN" auto_approve="$AUTO_APPROVE"

use_env "$env_name"
require_node_modules

stack="management-$env_name"
synth_cmd=(env "ENVS=$env_name" npm run synth)
deploy_cmd=(env "TERRAFORM_BINARY_NAME=$(terraform_binary)" npx cdktf deploy "$stack" --skip-synth --ignore-missing-stack-dependencies)
((auto_approve == 0)) || deploy_cmd+=(--auto-approve)

if ((dry_run == 1)); then
  echo "Dry run: nothing synthesized or deployed. Would run, from the repository root:"
  echo "  $(show_command "${synth_cmd[@]}")"
  echo "  $(show_command "${deploy_cmd[@]}")"
  exit 0
fi

require_terraform
if [[ "$(vars_field "$VARS_FILE" backend.type local)" == local ]]; then
  state="$REPO_ROOT/terraform.provisioning-$env_name.tfstate"
  [[ -s "$state" ]] ||
    die "$EXIT_FAILURE" "provisioning-$env_name has no state yet ($(basename "$state") is missing): deploy it first with: npx cdktf deploy provisioning-$env_name"
fi
run "${synth_cmd[@]}"
run "${deploy_cmd[@]}"
info "$stack deployed"
