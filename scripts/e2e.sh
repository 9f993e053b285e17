#!/usr/bin/env bash
#/ Usage: scripts/e2e.sh [--keep]      (npm run e2e)
#/
#/ End-to-end proof of provisioning-<env> (E2E_ENV, default dev) against a local AWS API:
#/   1. creates a network namespace of its own with only a loopback interface (nothing inside can reach
#/      any other address) and starts a moto server on its 127.0.0.1, running as the environment's AWS
#/      account so allowed_account_ids and key policies hold. The endpoint is http://aws.e2e.internal:5000,
#/      mapped to 127.0.0.1 by the namespace's own hosts file (ip netns exec reads /etc/netns/<ns>/hosts):
#/      S3 Control puts the account id in front of the endpoint host, which an IP address cannot take.
#/      moto, tofu and the checks run inside the namespace; everything is removed at the end, whatever happens;
#/   2. synthesizes the stack awake, prepares its e2e variant (scripts/e2e/transform.ts over prepare.ts: AWS
#/      provider pointed at moto, Databricks resources excluded because the account API cannot run locally,
#/      their policy data sources kept because the provider computes them offline, state at one absolute
#/      path) and runs tofu init + apply;
#/   3. checks the result through the AWS API (scripts/e2e/check.py: VPC, subnets, NAT, endpoints, security
#/      groups, flow logs, buckets with SSE-KMS and public access block, keys, roles);
#/   4. plans what was applied (any change is drift from a moto gap: printed, and carried as the baseline),
#/      then the full stack, Databricks resources included: beyond the baseline they must be the only
#/      changes (planned, never applied);
#/   5. sleeps the network with the operations CLI (`dbx sleep --transform scripts/e2e/transform.ts`: its own
#/      synth, a saved plan checked to delete exactly the NAT gateways, EIPs, NAT routes and STS/Kinesis
#/      endpoints, with moto's baseline drift of step 4 accepted through --known-drift, then that plan
#/      applied), checks through the AWS API that only those went away and every stateful resource kept its
#/      id; wakes it with `dbx wake`, checks the same and that the woken configuration equals the first awake
#/      one byte for byte; a second `dbx wake` must be a no-op;
#/   6. destroys everything and checks the state is empty.
#/ Needs the toolchain (scripts/toolchain.sh builds it when missing). Each step prints its elapsed time.
#/
#/ Options: --keep  leave the working directory (state, logs) for inspection;  -h, --help  this text.
#/ Needs root (or CAP_NET_ADMIN) and iproute2 for the namespace.
#/ Exit codes: 0 all checks passed; 1 a step or check failed; 2 usage; 5 toolchain missing and not buildable,
#/ or no network namespace could be created.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

keep=0
while (($# > 0)); do
  case "$1" in
    -h | --help) print_usage "${BASH_SOURCE[0]}"; exit 0 ;;
    --keep) keep=1 ;;
    *) die "$EXIT_USAGE" "unknown argument: $1 (see --help)" ;;
  esac
  shift
done

env_name="${E2E_ENV:-dev}"
require_node_modules
# One absolute vars directory for every step (main.ts, the CLI and facts.ts run from different directories).
export VARS_DIR="${VARS_DIR:-$REPO_ROOT/vars}"
VARS_DIR="$(cd "$VARS_DIR" 2>/dev/null && pwd)" || die "$EXIT_FAILURE" "VARS_DIR: no such directory"
{ read -r region && read -r account; } < <(cd "$REPO_ROOT" && node_modules/.bin/tsx scripts/e2e/facts.ts "$env_name") ||
  die "$EXIT_FAILURE" "cannot read vars of \"$env_name\" (see above)"
"$REPO_ROOT/scripts/toolchain.sh" >&2 || die "$EXIT_MISSING_PROGRAM" "the toolchain could not be built (see above)"
eval "$("$REPO_ROOT/scripts/toolchain.sh" --print-env)"
cache="$(dirname "$TF_CLI_CONFIG_FILE")"
python="$cache/venv/bin/python"
[[ -x "$python" && -x "$cache/bin/moto_server" ]] || die "$EXIT_MISSING_PROGRAM" "moto is not in the toolchain cache: run npm run toolchain"

stack="provisioning-$env_name"
work="$(mktemp -d "${TMPDIR:-/tmp}/dbx-e2e.XXXXXX")"
started=$SECONDS
step() { printf '\n== [%4ds] %s\n' "$((SECONDS - started))" "$*"; }

netns="dbx-e2e-$$"
netns_etc="/etc/netns/$netns"
moto_pid=""
cleanup() {
  local status=$?
  # Nothing here may change the exit status (wait returns the killed server's 143).
  if [[ -n "$moto_pid" ]]; then
    kill "$moto_pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  ip netns del "$netns" 2>/dev/null || true
  rm -rf "$netns_etc"
  if ((keep == 1 || status != 0)); then info "working directory kept: $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT INT TERM

step "network namespace $netns (loopback only); moto on its 127.0.0.1 as account $account"
require_binary ip "install iproute2"
if ! { ip netns add "$netns" && ip -n "$netns" link set lo up; } 2>"$work/netns.log"; then
  die "$EXIT_MISSING_PROGRAM" "cannot create a network namespace (needs root or CAP_NET_ADMIN): $(cat "$work/netns.log")"
fi
mkdir -p "$netns_etc"
printf '127.0.0.1 localhost aws.e2e.internal %s.aws.e2e.internal\n' "$account" >"$netns_etc/hosts"
: >"$netns_etc/resolv.conf"
in_ns() { ip netns exec "$netns" "$@"; }
endpoint="http://aws.e2e.internal:5000"
# Not through in_ns: as a function it would run in a subshell and $! would not be the server.
ip netns exec "$netns" env MOTO_ACCOUNT_ID="$account" MOTO_S3_CUSTOM_ENDPOINTS="$endpoint" "$cache/bin/moto_server" -H 127.0.0.1 -p 5000 >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 60); do
  in_ns "$python" -c "import urllib.request; urllib.request.urlopen('$endpoint/moto-api/')" 2>/dev/null && break
  kill -0 "$moto_pid" 2>/dev/null || die "$EXIT_FAILURE" "moto exited: $(tail -5 "$work/moto.log")"
  sleep 0.5
done

tf_dir="$work/tf"
# The e2e variant (scripts/e2e/transform.ts) reads these; e2e.sh's tofu runs and the CLI's share the state.
export E2E_ENDPOINT="$endpoint" E2E_STATE="$tf_dir/terraform.tfstate" E2E_PROVIDERS_TSV="$cache/providers.tsv"
# synth_prepare MODE [--keep-databricks]: synthesizes the stack in MODE and writes its e2e variant to $tf_dir.
synth_prepare() {
  local mode="$1" out="$work/out-$1"
  (cd "$REPO_ROOT" && NETWORK_MODE="$mode" ENVS="$env_name" CDKTF_OUTDIR="$out" node_modules/.bin/tsx main.ts) ||
    die "$EXIT_FAILURE" "synth ($mode) failed"
  (cd "$REPO_ROOT" && node_modules/.bin/tsx scripts/e2e/transform.ts "$out/stacks/$stack/cdk.tf.json" "$tf_dir/main.tf.json" "${@:2}") ||
    die "$EXIT_FAILURE" "preparing the e2e variant ($mode) failed"
}
tofu_in() { (cd "$tf_dir" && in_ns "$TERRAFORM_BINARY_NAME" "$@") || die "$EXIT_FAILURE" "$TERRAFORM_BINARY_NAME $1 failed"; }
# check CONFIG ARGS...: the AWS API checks of what CONFIG (an applied e2e variant) declares.
check() { in_ns "$python" "$REPO_ROOT/scripts/e2e/check.py" "$1" --endpoint "$endpoint" --region "$region" "${@:2}" || die "$EXIT_FAILURE" "AWS checks failed"; }
# dbx_e2e COMMAND: the operations CLI in the namespace, on the e2e variant, moto's baseline drift accepted
# besides the expected change set; its JSON result goes to $work/COMMAND.json.
cli_dir="$work/dbx/.dbx-$env_name/stacks/$stack"
dbx_e2e() {
  in_ns env DBX_ROOT="$work/dbx" TF_CLI_ARGS_init="-plugin-dir=$DBX_CDKTF_MIRROR" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
    DATABRICKS_CLIENT_ID=e2e DATABRICKS_CLIENT_SECRET=e2e node "$REPO_ROOT/ops/bin/dbx.js" "$1" "$env_name" --auto-approve --json \
    --transform "$REPO_ROOT/scripts/e2e/transform.ts" --known-drift "$work/baseline-plan.json" >"$work/$1.json" ||
    die "$EXIT_FAILURE" "dbx $1 $env_name failed: see above and $work/$1.json"
}

step "synth $stack (awake) and prepare the e2e variant"
synth_prepare awake
cp "$tf_dir/main.tf.json" "$work/awake.tf.json"
step "tofu init (local mirror only)"
tofu_in init -input=false -no-color -plugin-dir="$DBX_CDKTF_MIRROR" >"$work/init.log"
step "tofu apply (awake)"
tofu_in apply -input=false -no-color -auto-approve >"$work/apply-awake.log"
grep -E "^Apply complete" "$work/apply-awake.log"
step "checking through the AWS API (awake)"
check "$tf_dir/main.tf.json" --snapshot "$work/awake.json"

step "plan of what was applied: any change here is drift from moto's gaps, reported and carried as the baseline"
(cd "$tf_dir" && in_ns "$TERRAFORM_BINARY_NAME" plan -input=false -no-color -out="$work/baseline.plan" >"$work/plan-baseline.log") || die "$EXIT_FAILURE" "baseline plan failed: $(tail -20 "$work/plan-baseline.log")"
(cd "$tf_dir" && in_ns "$TERRAFORM_BINARY_NAME" show -json "$work/baseline.plan") >"$work/baseline-plan.json"

step "plan with the Databricks resources: beyond the baseline, they must be the only changes"
synth_prepare awake --keep-databricks
(cd "$tf_dir" && in_ns "$TERRAFORM_BINARY_NAME" plan -input=false -no-color -out="$work/full.plan" >"$work/plan-full.log") || die "$EXIT_FAILURE" "plan with Databricks resources failed: $(tail -20 "$work/plan-full.log")"
(cd "$tf_dir" && in_ns "$TERRAFORM_BINARY_NAME" show -json "$work/full.plan") >"$work/full-plan.json"
"$python" - "$work/baseline-plan.json" "$work/full-plan.json" <<'PY' || die "$EXIT_FAILURE" "the full plan changes more than the Databricks resources"
import json, sys
def changes(path):
    return {c["address"]: c for c in json.load(open(path))["resource_changes"] if c["change"]["actions"] != ["no-op"]}
baseline, full = changes(sys.argv[1]), changes(sys.argv[2])
if baseline:
    print(f"moto gap: {len(baseline)} AWS resource(s) drift right after apply (see plan-baseline.log): " + ", ".join(sorted(baseline)))
databricks = sorted(a for a, c in full.items() if c["type"].startswith("databricks_"))
def awaits_databricks(c):
    # An in-place update whose every changed attribute is unknown until apply: a value only Databricks issues
    # (the storage credential's external id in the Unity Catalog role's trust policy).
    ch = c["change"]
    if ch["actions"] != ["update"]:
        return False
    before, after, unknown = ch.get("before") or {}, ch.get("after") or {}, ch.get("after_unknown") or {}
    changed = [k for k in set(before) | set(after) | set(unknown) if unknown.get(k) is True or before.get(k) != after.get(k)]
    return bool(changed) and all(unknown.get(k) is True for k in changed)
awaiting = sorted(a for a, c in full.items() if not c["type"].startswith("databricks_") and a not in baseline and awaits_databricks(c))
if awaiting:
    print("waiting for values only Databricks issues (updated in place, nothing else): " + ", ".join(awaiting))
other = sorted(a for a, c in full.items() if not c["type"].startswith("databricks_") and a not in baseline and a not in awaiting)
print(f"planned, not applied: {len(databricks)} Databricks resource(s) of types " + ", ".join(sorted({full[a]['type'] for a in databricks})))
if other:
    print("unexpected non-Databricks changes: " + ", ".join(other))
    sys.exit(1)
if not databricks:
    print("no Databricks resource planned")
    sys.exit(1)
PY

step "sleep with the CLI: a saved plan checked to delete exactly the pay-per-hour parts, then applied; check"
dbx_e2e sleep
check "$cli_dir/cdk.tf.json" --same-as "$work/awake.json"

step "wake with the CLI: a saved plan checked to create exactly those parts, then applied; check"
dbx_e2e wake
cmp -s "$cli_dir/cdk.tf.json" "$work/awake.tf.json" || die "$EXIT_FAILURE" "the woken configuration differs from the first awake one"
check "$cli_dir/cdk.tf.json" --same-as "$work/awake.json"
dbx_e2e wake
grep -q '"alreadyInMode": true' "$work/wake.json" || die "$EXIT_FAILURE" "a second dbx wake was not a no-op: see $work/wake.json"
echo "a second dbx wake: already awake, nothing planned"

step "destroy"
cp "$work/awake.tf.json" "$tf_dir/main.tf.json"
tofu_in destroy -input=false -no-color -auto-approve >"$work/destroy.log"
tail -1 "$work/destroy.log"
left="$(cd "$tf_dir" && in_ns "$TERRAFORM_BINARY_NAME" state list)"
[[ -z "$left" ]] || die "$EXIT_FAILURE" "resources left in state after destroy: $left"
step "e2e passed"
