#!/usr/bin/env bash
#/ Usage: scripts/sleep-network.sh <env> [--dry-run] [--plan] [--auto-approve] [--force]
#/
#/ Removes the network parts of provisioning-<env> that cost money every hour and hold no state: the NAT
#/ gateways, their Elastic IPs, the routes to them, and the STS and Kinesis Streams interface endpoints.
#/ Everything else stays: VPC, subnets, security groups, S3 gateway endpoint, PrivateLink endpoints
#/ registered with Databricks, buckets, keys, IAM and the workspace. scripts/wake-network.sh restores them.
#/ While asleep, clusters cannot reach the internet.
#/
#/ It prints the resources it removes and the hourly and monthly cost they stand for (computed offline
#/ from the awake and asleep synth), then runs, from the repository root:
#/   env NETWORK_MODE=asleep ENVS=<env> npm run synth
#/   env NETWORK_MODE=asleep TERRAFORM_BINARY_NAME=<binary> npx cdktf deploy provisioning-<env> --skip-synth
#/
#/ Options:
#/   --dry-run       print the resources, the cost and the commands; run nothing (needs no credentials
#/                   and no Terraform binary)
#/   --plan          run `cdktf plan` instead of deploy: show Terraform's plan, change nothing
#/   --auto-approve  deploy without Terraform's confirmation prompt
#/   --force         sleep an environment whose vars file has "protected": true
#/   -h, --help      this text
#/
#/ Environment: TERRAFORM_BINARY_NAME (default terraform; e.g. tofu), VARS_DIR (default vars/),
#/ AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET.
#/
#/ Exit codes: 0 done (or --help, --dry-run); 1 a step failed or the vars file is invalid; 2 usage error;
#/ 3 unknown environment; 4 protected environment without --force; 5 missing program (node, npm ci not
#/ run, terraform); 6 no AWS credentials; 7 no Databricks credentials.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/network-mode.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/network-mode.sh"
network_mode_main asleep "${BASH_SOURCE[0]}" "$@"
