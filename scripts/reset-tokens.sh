#!/usr/bin/env bash
#/ Usage: scripts/reset-tokens.sh <env> [options]        (the same as: npx dbx reset-tokens <env> [options])
#/
#/ Re-issues the credentials management runs with: replaces exactly the credential resources of
#/ provisioning-<env> (-replace, no -target); a plan with any other change is refused.
#/ --help prints the options, the safety checks and the exit codes (README: "Operations CLI").
set -euo pipefail
command -v node >/dev/null 2>&1 || { echo "reset-tokens.sh: error: node not found on PATH: install Node.js 20 or later" >&2; exit 5; }
exec node "$(dirname "${BASH_SOURCE[0]}")/../ops/bin/dbx.js" reset-tokens "$@"
