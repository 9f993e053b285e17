#!/usr/bin/env bash
#/ Usage: scripts/wake-network.sh <env> [--dry-run] [--plan] [--auto-approve]
#/
#/ Restores what scripts/sleep-network.sh removed from provisioning-<env>: the NAT gateways, their Elastic
#/ IPs (new addresses), the routes to them, and the STS and Kinesis Streams interface endpoints. The result
#/ is exactly the normal (awake) synth of the stack. Waking an awake environment changes nothing.
#/
#/ It prints the resources it adds and the hourly and monthly cost they stand for (computed offline from
#/ the awake and asleep synth), then runs, from the repository root:
#/   env NETWORK_MODE=awake ENVS=<env> npm run synth
#/   env NETWORK_MODE=awake TERRAFORM_BINARY_NAME=<binary> npx cdktf deploy provisioning-<env> --skip-synth
#/
#/ Options:
#/   --dry-run       print the resources, the cost and the commands; run nothing (needs no credentials
#/                   and no Terraform binary)
#/   --plan          run `cdktf plan` instead of deploy: show Terraform's plan, change nothing
#/   --auto-approve  deploy without Terraform's confirmation prompt
#/   -h, --help      this text
#/
#/ Environment: TERRAFORM_BINARY_NAME (default terraform; e.g. tofu), VARS_DIR (default vars/),
#/ AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET.
#/
#/ Exit codes: 0 done (or --help, --dry-run); 1 a step failed or the vars file is invalid; 2 usage error;
#/ 3 unknown environment; 5 missing program (node, npm ci not run, terraform); 6 no AWS credentials;
#/ 7 no Databricks credentials.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/network-mode.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/network-mode.sh"
network_mode_main awake "${BASH_SOURCE[0]}" "$@"
