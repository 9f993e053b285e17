#!/usr/bin/env bash
#/ Usage: scripts/wake-network.sh <env> [options]        (the same as: npx dbx wake <env> [options])
#/
#/ Restores what sleep-network.sh removed: provisioning-<env> becomes its normal (awake) synth again,
#/ through a saved plan checked to create exactly those parts. The old --plan is now --plan-only
#/ (still accepted).
#/ --help prints the options, the safety checks and the exit codes (README: "Operations CLI").
set -euo pipefail
command -v node >/dev/null 2>&1 || { echo "wake-network.sh: error: node not found on PATH: install Node.js 20 or later" >&2; exit 5; }
exec node "$(dirname "${BASH_SOURCE[0]}")/../ops/bin/dbx.js" wake "$@"
