#!/usr/bin/env bash
#/ Usage: scripts/sleep-network.sh <env> [options]        (the same as: npx dbx sleep <env> [options])
#/
#/ Removes the pay-per-hour network parts of provisioning-<env> (NAT gateways, their EIPs and routes,
#/ the STS and Kinesis interface endpoints) through a saved plan checked to change exactly them. The
#/ old --plan is now --plan-only (still accepted).
#/ --help prints the options, the safety checks and the exit codes (README: "Operations CLI").
set -euo pipefail
command -v node >/dev/null 2>&1 || { echo "sleep-network.sh: error: node not found on PATH: install Node.js 20 or later" >&2; exit 5; }
exec node "$(dirname "${BASH_SOURCE[0]}")/../ops/bin/dbx.js" sleep "$@"
