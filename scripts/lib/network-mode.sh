# shellcheck shell=bash
# The flow shared by sleep-network.sh and wake-network.sh: parse the options, check the environment,
# print what changes and what it costs (scripts/network-diff.ts), then synthesize `provisioning-<env>`
# in the target mode and deploy that stack only. Requires common.sh.

# network_mode_main MODE SCRIPT_FILE ARG...   MODE is asleep or awake; SCRIPT_FILE holds the "#/" usage.
network_mode_main() {
  local mode="$1" script_file="$2"
  shift 2
  local extra="--plan"
  [[ "$mode" == asleep ]] && extra="--plan --force"
  parse_env_args "$script_file" "$extra" "$@"
  # shellcheck disable=SC2153,SC2154 # set by parse_env_args
  local env_name="$ENV_NAME" dry_run="$DRY_RUN" auto_approve="$AUTO_APPROVE" plan_only="$FLAG_plan" force="${FLAG_force:-0}"
  ((plan_only == 0 || auto_approve == 0)) || die "$EXIT_USAGE" "--plan and --auto-approve exclude each other"

  use_env "$env_name"
  local stack="provisioning-$env_name" vars_file
  vars_file="$(basename "$VARS_DIR")/$env_name.json"

  # shellcheck disable=SC2153 # VARS_FILE is set by use_env
  if [[ "$mode" == asleep && "$(vars_field "$VARS_FILE" protected false)" == true ]]; then
    ((force == 1)) || die "$EXIT_PROTECTED" "refusing to sleep \"$env_name\": $vars_file has \"protected\": true; pass --force to sleep it anyway"
    warn "\"$env_name\" is protected; sleeping it anyway (--force)"
  fi

  require_node_modules
  if ((dry_run == 0)); then
    require_terraform
    require_aws_credentials
    require_databricks_credentials
  fi

  # What changes, and its hourly cost; fails (and stops here) on any difference beyond the pay-per-hour parts.
  (cd "$REPO_ROOT" && node_modules/.bin/tsx scripts/network-diff.ts "$env_name" --to "$mode") ||
    die "$EXIT_FAILURE" "not deploying: see the difference above"

  echo
  if [[ "$mode" == asleep ]]; then
    local control_plane
    if [[ "$(vars_field "$VARS_FILE" privateLink.enabled false)" == true ]]; then
      control_plane="  - still working: the back-end PrivateLink endpoints registered with Databricks (REST API, secure cluster
    connectivity relay), so clusters still reach the Databricks control plane."
    else
      control_plane="  - $env_name has no back-end PrivateLink: clusters cannot reach the Databricks control plane either."
    fi
    cat <<EOF
While $env_name is asleep:
  - clusters cannot reach the internet (no NAT gateway): no package installs from PyPI/Maven/CRAN, no external
    APIs or databases, and no AWS STS or Kinesis Streams (their interface endpoints are removed too).
$control_plane
  - expect cluster starts and jobs that need those to fail: terminate clusters and pause scheduled jobs first.
  - still working: S3 through the S3 gateway endpoint, the workspace UI and API for users, and everything
    stateful (VPC, subnets, security groups, buckets and their data, KMS keys, IAM, the workspace).
  - wake it with: scripts/wake-network.sh $env_name
EOF
  else
    cat <<EOF
After waking, clusters of $env_name reach the internet again through new NAT gateways: their Elastic IPs are
new addresses, so update any allow-list that names the old egress IPs.
EOF
  fi
  echo

  local synth_cmd=(env "NETWORK_MODE=$mode" "ENVS=$env_name" npm run synth)
  local tf_cmd=(env "NETWORK_MODE=$mode" "TERRAFORM_BINARY_NAME=$(terraform_binary)" npx cdktf)
  if ((plan_only == 1)); then
    tf_cmd+=(plan "$stack" --skip-synth)
  else
    tf_cmd+=(deploy "$stack" --skip-synth)
    ((auto_approve == 0)) || tf_cmd+=(--auto-approve)
  fi

  if ((dry_run == 1)); then
    echo "Dry run: nothing synthesized, planned or deployed. Would run, from the repository root:"
    echo "  $(show_command "${synth_cmd[@]}")"
    echo "  $(show_command "${tf_cmd[@]}")"
    return 0
  fi

  run "${synth_cmd[@]}"
  run "${tf_cmd[@]}"
  if ((plan_only == 0)); then
    info "$stack is $mode"
  fi
}
