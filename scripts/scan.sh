#!/usr/bin/env bash
# Static security scan of the synthesized stacks with checkov (from scripts/toolchain.sh).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/scan.sh [--no-synth] [--stacks-dir DIR] [--config FILE] [--help]

Runs `npm run synth`, copies every DIR/*/cdk.tf.json (default DIR: cdktf.out/stacks) into a
temporary directory with terraform.required_version removed (checkov crashes on it, checkov
issue #7454), and runs `checkov --framework terraform_json` over the copies.

  --no-synth        do not run `npm run synth`
  --stacks-dir DIR  scan the stacks under DIR instead (implies --no-synth)
  --config FILE     checkov config file (default: .checkov.yaml at the repository root)
  --help            this text

Project-wide skips live in the config file's skip-check list, one check id per line, each with a
written reason on the same line:   - CKV_AWS_18  # reason: <why>
A skip without a reason is refused. A skip for one resource is declared in code next to it
(skipCheckov in constructs/security/checkov-skips.ts, written under "//" in cdk.tf.json); checkov's
terraform_json framework has no inline skips, so this script turns those entries into a checkov
baseline (--baseline) that suppresses exactly that check on exactly that resource, and prints each.

Exit codes: 0 no failed check, 1 a failed check (or checkov error), 2 usage or toolchain problem.
EOF
}

die() { echo "scan: error: $*" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=lib/stacks.sh
source "$here/lib/stacks.sh"
synth=1
stacks_dir=""
config="$root/.checkov.yaml"
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --no-synth) synth=0 ;;
    --stacks-dir)
      [ $# -ge 2 ] || die "--stacks-dir needs a directory"
      stacks_dir="$2"; synth=0; shift ;;
    --stacks-dir=*) stacks_dir="${1#*=}"; synth=0 ;;
    --config)
      [ $# -ge 2 ] || die "--config needs a file"
      config="$2"; shift ;;
    --config=*) config="${1#*=}" ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done
[ -n "$stacks_dir" ] || stacks_dir="$root/cdktf.out/stacks"

# Every skipped check id needs a written reason on its line (checked before the toolchain is looked for).
prepare() { "$root/node_modules/.bin/tsx" "$root/scripts/scan-prepare.ts" --config "$config" "$@" || exit 2; }
prepare

load_toolchain checkov

synth_stacks scan "$synth" "$stacks_dir"

# Copies without required_version, and the per-resource skips from the "//" comments as a checkov baseline
# (outside the scanned directory).
work="$(mktemp -d "${TMPDIR:-/tmp}/dbx-scan.XXXXXX")"
meta="$(mktemp -d "${TMPDIR:-/tmp}/dbx-scan-meta.XXXXXX")"
trap 'rm -rf "$work" "$meta"' EXIT
prepare "$stacks_dir" "$work" "$meta/baseline.json"

# The temporary directory's name would otherwise appear in every file path of the report.
cd "$work"
set +e
checkov --config-file "$config" --framework terraform_json -d . --baseline "$meta/baseline.json" --output-baseline-as-skipped --quiet 2>&1 | tee "$work/report.txt"
rc=${PIPESTATUS[0]}
set -e
# checkov exits 0 when it could not parse a file (it then checks nothing in it): treat as failure.
if grep -Eq 'Parsing errors: [1-9]' "$work/report.txt"; then
  echo "scan: checkov could not parse some stacks (see 'Parsing errors' above)" >&2
  exit 1
fi
if [ "$rc" -eq 0 ]; then
  echo "scan: no failed checks"
else
  echo "scan: checkov reported failed checks or an error (exit $rc)" >&2
  exit 1
fi
