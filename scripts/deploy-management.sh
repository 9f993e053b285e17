#!/usr/bin/env bash
#/ Usage: scripts/deploy-management.sh <env> [options]        (the same as: npx dbx deploy --only management <env> [options])
#/
#/ Deploys management-<env> alone, from a saved plan you approve; refused while provisioning-<env> has
#/ no state.
#/ --help prints the options, the safety checks and the exit codes (README: "Operations CLI").
set -euo pipefail
command -v node >/dev/null 2>&1 || { echo "deploy-management.sh: error: node not found on PATH: install Node.js 20 or later" >&2; exit 5; }
exec node "$(dirname "${BASH_SOURCE[0]}")/../ops/bin/dbx.js" deploy --only management "$@"
