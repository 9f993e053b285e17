# shellcheck shell=bash
# Helpers of the bash that is left (scripts/e2e.sh: the network namespace around moto). The operational
# commands are the TypeScript CLI (ops/, `npx dbx`); the scripts users know are thin wrappers over it.
# Source this file from a script running under `set -euo pipefail`:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# Messages go to stderr, prefixed with the calling script's name; `die` exits with a code of the project's
# one exit-code table (ops/exit-codes.ts; a test keeps these numbers equal to it).

[[ -n "${_COMMON_SH_LOADED:-}" ]] && return 0
_COMMON_SH_LOADED=1

# shellcheck disable=SC2034 # used by the scripts that source this file
readonly EXIT_FAILURE=1 EXIT_USAGE=2 EXIT_MISSING_PROGRAM=5

# The repository root (the parent of scripts/).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The calling script's file name, used as the prefix of every message.
SCRIPT_NAME="$(basename "${0}")"

# info MESSAGE...   Prints a progress line to stderr.
info() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }

# die CODE MESSAGE...   Prints "<script>: error: MESSAGE" to stderr and exits with CODE.
die() {
  local code="$1"
  shift
  printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit "$code"
}

# print_usage FILE   Prints the lines of FILE that start with "#/" (the script's usage header), without
# the marker.
print_usage() { sed -n 's|^#/ \{0,1\}||p' "$1"; }

# require_binary NAME [HINT]   Dies with EXIT_MISSING_PROGRAM unless NAME is a command on PATH.
require_binary() {
  command -v "$1" >/dev/null 2>&1 || die "$EXIT_MISSING_PROGRAM" "\"$1\" not found on PATH${2:+: $2}"
}

# require_node_modules   Dies with EXIT_MISSING_PROGRAM unless node and the project's dependencies are installed.
require_node_modules() {
  require_binary node "install Node.js 20 or later"
  [[ -x "$REPO_ROOT/node_modules/.bin/tsx" ]] ||
    die "$EXIT_MISSING_PROGRAM" "the project's dependencies are not installed: run npm ci in $(basename "$REPO_ROOT")"
}
