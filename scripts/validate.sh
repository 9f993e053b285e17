#!/usr/bin/env bash
# Validates every synthesized stack with the offline toolchain (scripts/toolchain.sh):
# `init` from the local provider mirror, then `validate`, one stack at a time, with the binary the
# toolchain chose ($TERRAFORM_BINARY_NAME: terraform or tofu).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/validate.sh [--no-synth] [--stacks-dir DIR] [--help]

Runs `npm run synth`, then for every DIR/*/ holding a cdk.tf.json (default DIR: cdktf.out/stacks):
  $TERRAFORM_BINARY_NAME init -backend=false -input=false -plugin-dir=<mirror>
  $TERRAFORM_BINARY_NAME validate -no-color
on a copy of the stack in a temporary directory (cdktf.out is not modified), printing PASS or
FAIL per stack and the binary's message on failure. The binary is terraform or tofu, as
`scripts/toolchain.sh --print-env` chooses it (TERRAFORM_BINARY_NAME=tofu to pick OpenTofu).

  --no-synth        do not run `npm run synth` (validate what is already synthesized)
  --stacks-dir DIR  validate the stacks under DIR instead (implies --no-synth)
  --help            this text

Exit codes: 0 all stacks valid, 1 at least one stack invalid, 2 usage or toolchain problem.
Needs the toolchain from scripts/toolchain.sh (`npm run toolchain`) and node.

When the mirror holds a different version of a provider than the bindings require (the module
proxy did not serve the exact one; see docs/toolchain.md), the copy's required_providers
constraint is pointed at the mirrored version and a NOTE line says so.
EOF
}

die() { echo "validate: error: $*" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=lib/stacks.sh
source "$here/lib/stacks.sh"
synth=1
stacks_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --no-synth) synth=0 ;;
    --stacks-dir)
      [ $# -ge 2 ] || die "--stacks-dir needs a directory"
      stacks_dir="$2"; synth=0; shift ;;
    --stacks-dir=*) stacks_dir="${1#*=}"; synth=0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done
[ -n "$stacks_dir" ] || stacks_dir="$root/cdktf.out/stacks"

# shellcheck disable=SC2119 # no extra tool to check: only $TERRAFORM_BINARY_NAME
load_toolchain
tf="$TERRAFORM_BINARY_NAME"
cache_dir="$(dirname "$TF_CLI_CONFIG_FILE")"
echo "validate: with $("$tf" version | head -n1) ($(command -v "$tf"))" >&2

synth_stacks validate "$synth" "$stacks_dir"

work="$(mktemp -d "${TMPDIR:-/tmp}/dbx-validate.XXXXXX")"
trap 'rm -rf "$work"' EXIT

retarget_providers() { node "$here/lib/retarget-providers.js" "$1" "$cache_dir/providers.tsv"; }

pass=0
fail=0
found=0
for stack in "$stacks_dir"/*/; do
  stack="${stack%/}"
  [ -f "$stack/cdk.tf.json" ] || continue
  found=$((found + 1))
  name="$(basename "$stack")"
  copy="$work/$name"
  mkdir -p "$copy"
  # Copy the stack without any previous init state or registry lock file (the mirror's
  # locally built providers have other checksums than the registry's).
  (cd "$stack" && tar --exclude=.terraform --exclude=.terraform.lock.hcl -cf - .) | (cd "$copy" && tar -xf -)
  notes="$(retarget_providers "$copy/cdk.tf.json")" || { echo "FAIL $name"; echo "  cdk.tf.json is not valid JSON"; fail=$((fail + 1)); continue; }
  [ -z "$notes" ] || printf '%s\n' "$notes" | sed "s/^/validate: $name: /" >&2
  if ! out="$(cd "$copy" && "$tf" init -backend=false -input=false -no-color -plugin-dir="$DBX_CDKTF_MIRROR" 2>&1)"; then
    echo "FAIL $name ($tf init)"
    printf '%s\n' "$out" | sed -n '/Error/,$p' | sed 's/^/  | /'
    fail=$((fail + 1))
    continue
  fi
  if out="$(cd "$copy" && "$tf" validate -no-color 2>&1)"; then
    echo "PASS $name"
    pass=$((pass + 1))
  else
    echo "FAIL $name"
    printf '%s\n' "$out" | sed 's/^/  | /'
    fail=$((fail + 1))
  fi
done
[ "$found" -gt 0 ] || die "no stacks (*/cdk.tf.json) under $stacks_dir"

echo "validate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
