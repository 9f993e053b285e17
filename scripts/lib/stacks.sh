# shellcheck shell=bash
# Shared steps of validate.sh and scan.sh (sourced; the caller defines die, here and root).
# shellcheck disable=SC2154 # here and root come from the caller

# load_toolchain [TOOL]   Loads the offline toolchain's environment (PATH, TF_CLI_CONFIG_FILE,
# TERRAFORM_BINARY_NAME: terraform or tofu, CHECKPOINT_DISABLE, DBX_CDKTF_MIRROR) and dies unless node,
# $TERRAFORM_BINARY_NAME and TOOL are then on PATH.
load_toolchain() {
  local env_exports tool
  command -v node >/dev/null 2>&1 || die "node not found on PATH"
  env_exports="$("$here/toolchain.sh" --print-env 2>&1)" ||
    die "offline toolchain missing ($env_exports); build it with: npm run toolchain"
  eval "$env_exports"
  for tool in "$TERRAFORM_BINARY_NAME" "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found after loading the toolchain env; rerun: npm run toolchain"
  done
}

# synth_stacks NAME SYNTH STACKS_DIR   Runs `npm run synth` when SYNTH is 1 (NAME prefixes the progress
# line), then dies unless STACKS_DIR exists.
synth_stacks() {
  if [ "$2" = 1 ]; then
    echo "$1: npm run synth" >&2
    (cd "$root" && npm run --silent synth -- --quiet) || die "npm run synth failed"
  fi
  [ -d "$3" ] || die "no stacks directory: $3"
}
