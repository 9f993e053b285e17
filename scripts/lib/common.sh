# shellcheck shell=bash
# Shared helpers of the operational scripts (sleep-network.sh, wake-network.sh, reset-tokens.sh...).
# Source it from a script running under `set -euo pipefail`:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# Every function writes its messages to stderr, prefixed with the calling script's name, and exits
# through `die` with one of the codes below, so all scripts share the same exit codes:
#
#   0  success, or --help
#   1  a step the script ran failed (synth, plan, deploy), or a vars file is invalid
#   2  usage error: unknown option, missing or extra argument
#   3  unknown environment: no vars/<env>.json (the message lists the available ones)
#   4  protected environment ("protected": true in its vars file) without --force
#   5  a required program is missing (node, the project's node_modules, terraform/tofu...)
#   6  no AWS credentials in the environment
#   7  no Databricks account credentials in the environment

[[ -n "${_COMMON_SH_LOADED:-}" ]] && return 0
_COMMON_SH_LOADED=1

# shellcheck disable=SC2034 # used by the scripts that source this file
readonly EXIT_FAILURE=1 EXIT_USAGE=2 EXIT_UNKNOWN_ENV=3 EXIT_PROTECTED=4 EXIT_MISSING_BINARY=5 \
  EXIT_NO_AWS_CREDENTIALS=6 EXIT_NO_DATABRICKS_CREDENTIALS=7

# The repository root (the parent of scripts/).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The calling script's file name, used as the prefix of every message.
SCRIPT_NAME="$(basename "${0}")"

# info MESSAGE...   Prints a progress line to stderr.
info() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }

# warn MESSAGE...   Prints a warning line to stderr.
warn() { printf '%s: warning: %s\n' "$SCRIPT_NAME" "$*" >&2; }

# die CODE MESSAGE...   Prints "<script>: error: MESSAGE" to stderr and exits with CODE.
die() {
  local code="$1"
  shift
  printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit "$code"
}

# print_usage FILE   Prints the lines of FILE that start with "#/" (the script's usage header), without
# the marker. Scripts call it for --help (exit 0) and after usage errors.
print_usage() { sed -n 's|^#/ \{0,1\}||p' "$1"; }

# list_envs VARS_DIR   Prints the environments of VARS_DIR (the base names of its *.json files), comma-separated.
list_envs() {
  local dir="$1" f names=()
  for f in "$dir"/*.json; do
    [[ -e "$f" ]] || continue
    f="$(basename "$f")"
    [[ "$f" == schema.json ]] && continue # the JSON Schema of the vars files, not an environment
    names+=("${f%.json}")
  done
  local IFS=,
  printf '%s' "${names[*]:-}" | sed 's/,/, /g'
}

# require_env_file VARS_DIR ENV   Dies with EXIT_UNKNOWN_ENV unless VARS_DIR/ENV.json exists, listing the
# available environments. ENV must look like an environment name (lowercase letters, digits, -).
require_env_file() {
  local dir="$1" env="$2" available
  available="$(list_envs "$dir")"
  if [[ ! "$env" =~ ^[a-z][a-z0-9-]{0,30}$ || "$env" == schema || ! -f "$dir/$env.json" ]]; then
    die "$EXIT_UNKNOWN_ENV" "unknown environment \"$env\": no vars file $(basename "$dir")/$env.json (available: ${available:-none})"
  fi
}

# use_env ENV   Selects the environment ENV for the rest of the script: exports VARS_DIR (default the
# repository's vars/), dies with EXIT_UNKNOWN_ENV unless its vars file exists, and sets VARS_FILE to it.
# shellcheck disable=SC2034 # VARS_FILE is this function's output
use_env() {
  export VARS_DIR="${VARS_DIR:-$REPO_ROOT/vars}"
  require_env_file "$VARS_DIR" "$1"
  VARS_FILE="$VARS_DIR/$1.json"
}

# vars_field FILE PATH DEFAULT   Prints the value at the dotted PATH of the JSON file FILE (objects and
# arrays as JSON), or DEFAULT when it is absent. Dies with EXIT_FAILURE when FILE is not valid JSON.
vars_field() {
  require_binary node "install Node.js 20 or later"
  node -e '
    const [file, at, dflt] = process.argv.slice(1);
    let doc;
    try { doc = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch (e) { console.error(e.message); process.exit(1); }
    const v = at.split(".").reduce((o, k) => (o !== null && typeof o === "object" ? o[k] : undefined), doc);
    console.log(v === undefined ? dflt : typeof v === "object" ? JSON.stringify(v) : String(v));
  ' "$1" "$2" "$3" || die "$EXIT_FAILURE" "$1: not a valid JSON file"
}

# require_binary NAME [HINT]   Dies with EXIT_MISSING_BINARY unless NAME is a command on PATH.
require_binary() {
  command -v "$1" >/dev/null 2>&1 || die "$EXIT_MISSING_BINARY" "\"$1\" not found on PATH${2:+: $2}"
}

# terraform_binary   Prints the Terraform binary cdktf will use: $TERRAFORM_BINARY_NAME, default terraform.
terraform_binary() { printf '%s' "${TERRAFORM_BINARY_NAME:-terraform}"; }

# require_terraform   Dies with EXIT_MISSING_BINARY unless the binary of terraform_binary is on PATH.
require_terraform() {
  require_binary "$(terraform_binary)" "cdktf deploys through it; install Terraform, or set TERRAFORM_BINARY_NAME (e.g. tofu)"
}

# require_node_modules   Dies with EXIT_MISSING_BINARY unless the project's dependencies are installed.
require_node_modules() {
  require_binary node "install Node.js 20 or later"
  [[ -x "$REPO_ROOT/node_modules/.bin/tsx" && -x "$REPO_ROOT/node_modules/.bin/cdktf" ]] ||
    die "$EXIT_MISSING_BINARY" "the project's dependencies are not installed: run npm ci in $(basename "$REPO_ROOT")"
}

# require_aws_credentials   Dies with EXIT_NO_AWS_CREDENTIALS unless the environment names AWS credentials:
# AWS_PROFILE, AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY, a web identity (AWS_ROLE_ARN with
# AWS_WEB_IDENTITY_TOKEN_FILE) or container credentials (AWS_CONTAINER_CREDENTIALS_*_URI). It checks
# presence only; the AWS provider verifies them and `allowed_account_ids` the account.
require_aws_credentials() {
  if [[ -n "${AWS_ACCESS_KEY_ID:-}" && -z "${AWS_SECRET_ACCESS_KEY:-}" ]]; then
    die "$EXIT_NO_AWS_CREDENTIALS" "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
  fi
  [[ -n "${AWS_PROFILE:-}" || -n "${AWS_ACCESS_KEY_ID:-}" ]] && return 0
  [[ -n "${AWS_ROLE_ARN:-}" && -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ]] && return 0
  [[ -n "${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}" || -n "${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}" ]] && return 0
  die "$EXIT_NO_AWS_CREDENTIALS" "no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)"
}

# require_databricks_credentials   Dies with EXIT_NO_DATABRICKS_CREDENTIALS unless DATABRICKS_CLIENT_ID and
# DATABRICKS_CLIENT_SECRET (OAuth M2M service principal of the account) are set; names the missing ones.
require_databricks_credentials() {
  local missing=()
  [[ -n "${DATABRICKS_CLIENT_ID:-}" ]] || missing+=(DATABRICKS_CLIENT_ID)
  [[ -n "${DATABRICKS_CLIENT_SECRET:-}" ]] || missing+=(DATABRICKS_CLIENT_SECRET)
  ((${#missing[@]} == 0)) ||
    die "$EXIT_NO_DATABRICKS_CREDENTIALS" "no Databricks account credentials: set $(printf '%s' "${missing[*]}" | sed 's/ / and /') (OAuth M2M service principal with account admin)"
}

# show_command WORD...   Prints the command, shell-quoted, as one line on stdout.
show_command() {
  local out="" word
  for word in "$@"; do out+="${out:+ }$(printf '%q' "$word")"; done
  printf '%s\n' "$out"
}

# run WORD...   Prints "+ <command>" to stderr, then runs it from the repository root; dies with
# EXIT_FAILURE (naming the command) when it fails.
run() {
  printf '+ %s\n' "$(show_command "$@")" >&2
  (cd "$REPO_ROOT" && "$@") || die "$EXIT_FAILURE" "failed: $(show_command "$@")"
}

# parse_env_args SCRIPT_FILE "EXTRA_FLAGS" ARG...   Parses the operational scripts' common command line,
# "<env> [--dry-run] [--auto-approve] [EXTRA_FLAGS...]": -h/--help prints SCRIPT_FILE's usage and exits 0;
# anything else unknown, a second environment or none at all dies with EXIT_USAGE. Sets ENV_NAME, DRY_RUN
# and AUTO_APPROVE (0/1), and FLAG_<name>=1 for each of EXTRA_FLAGS given (space-separated long options,
# e.g. "--plan --force" sets FLAG_plan and FLAG_force; unset ones are 0).
# shellcheck disable=SC2034 # ENV_NAME, DRY_RUN, AUTO_APPROVE and FLAG_* are this function's outputs
parse_env_args() {
  local script_file="$1" extra=" $2 " flag
  shift 2
  ENV_NAME="" DRY_RUN=0 AUTO_APPROVE=0
  for flag in $extra; do printf -v "FLAG_${flag#--}" '%s' 0; done
  while (($# > 0)); do
    case "$1" in
      -h | --help) print_usage "$script_file"; exit 0 ;;
      --dry-run) DRY_RUN=1 ;;
      --auto-approve) AUTO_APPROVE=1 ;;
      --) shift; break ;;
      -*)
        [[ "$extra" == *" $1 "* ]] || die "$EXIT_USAGE" "unknown option: $1 (see --help)"
        printf -v "FLAG_${1#--}" '%s' 1 ;;
      *)
        [[ -z "$ENV_NAME" ]] || die "$EXIT_USAGE" "expected one environment, found \"$ENV_NAME\" and \"$1\" (see --help)"
        ENV_NAME="$1" ;;
    esac
    shift
  done
  if (($# > 0)); then
    [[ -z "$ENV_NAME" && $# -eq 1 ]] || die "$EXIT_USAGE" "expected one environment (see --help)"
    ENV_NAME="$1"
  fi
  [[ -n "$ENV_NAME" ]] || die "$EXIT_USAGE" "missing environment, e.g. $SCRIPT_NAME dev (see --help)"
}
