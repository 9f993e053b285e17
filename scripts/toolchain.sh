#!/usr/bin/env bash
# Builds the offline real toolchain used by scripts/validate.sh, scripts/scan.sh and scripts/e2e.sh:
#   - a Terraform-compatible binary: `terraform` or `tofu` (>= 1.6) already on PATH, else OpenTofu
#     built from its Go module
#   - the Terraform providers our @cdktf/provider-* bindings wrap, built from their Go modules
#   - an unpacked filesystem mirror of those providers plus a CLI config (tofurc) that uses only it
#   - a Python venv with checkov and moto[server]
# Everything lands in a cache outside the repository and is reused on the next run.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/toolchain.sh [--print-env | --status | --help]

Builds (or reuses) the offline toolchain in the cache directory:
  ${DBX_CDKTF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/databricks-aws-cdktf}

  (no option)   build whatever is missing, then print the environment to use
  --print-env   print only the shell exports (eval "$(scripts/toolchain.sh --print-env)"):
                PATH, TF_CLI_CONFIG_FILE, TERRAFORM_BINARY_NAME, CHECKPOINT_DISABLE,
                DBX_CDKTF_MIRROR; fails if the toolchain is not built yet
  --status      show which binary is used, what is built and which provider versions the
                mirror holds
  --help        this text

Terraform or OpenTofu: the binary named by TERRAFORM_BINARY_NAME when it is set (terraform,
tofu or a path), otherwise `terraform`, then `tofu` from PATH, otherwise an OpenTofu built
earlier into the cache. Version 1.6 or later; an older one is ignored with a message. Only
when none is found is OpenTofu built (a few minutes); TERRAFORM_BINARY_NAME=tofu builds it
when no tofu is on PATH. Both read the same provider mirror.

Needs: Go >= 1.26.3 (the AWS provider's go.mod), Python >= 3.9 with venv, curl-free network
access to the Go module proxy and PyPI (only for what is not cached yet), and about 10 GB of
free disk for a cold build (the AWS provider alone compiles into several GB of Go build cache).

Environment:
  TERRAFORM_BINARY_NAME        binary to use (see above); --print-env exports the one chosen
  DBX_CDKTF_CACHE              cache directory (default above)
  DBX_CDKTF_PROVIDERS          space-separated subset of providers to build: "aws databricks time"
  DBX_CDKTF_AWS_MODULE         Go module version (pseudo-version) of the hashicorp/aws v6.25.0 tag
                               commit, when your module proxy serves it (see docs/toolchain.md)
  DBX_CDKTF_NICE               niceness for builds (default 19)
  DBX_CDKTF_MIN_FREE_GB        free disk required for a cold build (default 10)
Go's own module and build caches stay where `go env GOMODCACHE GOCACHE` puts them.
EOF
}

# ---------------------------------------------------------------- pins
TOFU_MODULE=github.com/opentofu/opentofu
TOFU_VERSION=v1.10.10
# As in OpenTofu's release builds: without it the binary calls itself "v1.10.10-dev".
TOFU_LDFLAGS="-X github.com/opentofu/opentofu/version.dev=no"
CHECKOV_VERSION=3.3.30
MOTO_VERSION=5.2.5
MIN_GO=1.26.3
# Oldest terraform/tofu accepted from PATH: OpenTofu's first release (1.6.0, January 2024) and the
# Terraform release it forked from; both read the unpacked filesystem mirror and -plugin-dir alike.
MIN_TF=1.6.0
MIN_PY=3.9
# Provider table: type | namespace | version the bindings require | Go module |
#   candidate module versions in order of preference, each "module-version=provider-version".
# The first candidate is always the exact version the bindings wrap. Later candidates are
# fallbacks for module proxies that do not serve the exact one; when one is used the mirror holds
# that real version (never relabelled) and scripts/validate.sh says so on every run.
AWS_EXACT_MODULE="${DBX_CDKTF_AWS_MODULE:-}"
PROVIDER_TABLE=(
  "aws|hashicorp|6.25.0|github.com/hashicorp/terraform-provider-aws|${AWS_EXACT_MODULE:+${AWS_EXACT_MODULE}=6.25.0 }v1.60.1-0.20260602190131-5f2286d6d836=6.47.1"
  "databricks|databricks|1.99.0|github.com/databricks/terraform-provider-databricks|v1.99.0=1.99.0 v1.84.0=1.84.0"
  "time|hashicorp|0.13.1|github.com/hashicorp/terraform-provider-time|v0.13.1=0.13.1"
)
MIRROR_HOSTS=(registry.opentofu.org registry.terraform.io)

CACHE="${DBX_CDKTF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/databricks-aws-cdktf}"
NICE="${DBX_CDKTF_NICE:-19}"
WANTED_PROVIDERS="${DBX_CDKTF_PROVIDERS:-aws databricks time}"

# ---------------------------------------------------------------- helpers
die() { echo "toolchain: error: $*" >&2; exit 1; }
log() { echo "toolchain: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# Runs a build command at low priority, recording wall time and peak RSS (of the largest single
# process: compiler or linker) in $CACHE/logs/NAME.time when GNU time is available.
run_measured() {
  local name="$1"; shift
  local logf="$CACHE/logs/$name.log" timef="$CACHE/logs/$name.time"
  if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
    if ! nice -n "$NICE" /usr/bin/time -v -o "$timef" "$@" >"$logf" 2>&1; then
      tail -n 20 "$logf" >&2
      die "$name failed; full log: $logf"
    fi
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f MiB", $2 / 1024 }' "$timef")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$timef")
    log "  $name: wall $wall, peak RSS $rss (log: $logf)"
  else
    if ! nice -n "$NICE" "$@" >"$logf" 2>&1; then
      tail -n 20 "$logf" >&2
      die "$name failed; full log: $logf"
    fi
  fi
}

# go mod download, printing the module directory; returns 1 when the proxy does not serve it.
module_dir() {
  local mod="$1" ver="$2" out
  if ! out=$(go mod download -json "$mod@$ver" 2>&1); then
    local why
    why=$(printf '%s' "$out" | grep -o -m1 -E '[0-9]{3} [A-Z][a-z]+( [A-Z][a-z]+)*' || true)
    [ -n "$why" ] || why=$(printf '%s' "$out" | grep -m1 -v '^[[:space:]]*[{}]' | sed 's/^[[:space:]]*//' | cut -c1-200)
    log "  $mod@$ver: not available from the Go module proxy ($why)"
    return 1
  fi
  printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

# Copies a module out of the read-only module cache (its go.mod may have replace directives,
# which rules out `go install mod@version`) and builds PKG inside the copy.
# The ldflags are recorded beside the binary: a binary built with other flags is rebuilt.
build_from_dir() {
  local name="$1" dir="$2" mod="$3" ver="$4" pkg="$5" out="$6" ldflags="-s -w ${7:-}" src
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then die "go mod download gave no directory for $mod@$ver"; fi
  src="$CACHE/src/$(basename "$mod")@$ver"
  if [ ! -f "$src/.copied" ]; then
    rm -rf "$src"
    mkdir -p "$CACHE/src"
    cp -R "$dir" "$src"
    chmod -R u+w "$src"
    touch "$src/.copied"
  fi
  mkdir -p "$(dirname "$out")"
  (cd "$src" && run_measured "$name" go build -buildvcs=false -trimpath -ldflags="$ldflags" -o "$out.tmp" "$pkg")
  mv -f "$out.tmp" "$out"
  printf '%s\n' "$ldflags" >"$out.ldflags"
}

is_built() { [ -x "$1" ] && [ "$(cat "$1.ldflags" 2>/dev/null)" = "-s -w ${2:-}" ]; }

check_disk() {
  local need_gb="$1" avail_kb
  mkdir -p "$CACHE"
  avail_kb=$(df -Pk "$CACHE" | awk 'NR == 2 { print $4 }')
  [ "$avail_kb" -ge $((need_gb * 1024 * 1024)) ] ||
    die "not enough free disk in $CACHE: $((avail_kb / 1024 / 1024)) GB free, $need_gb GB needed for a cold build"
  # Go's build cache usually lives elsewhere: check it too.
  local gocache
  gocache=$(go env GOCACHE)
  mkdir -p "$gocache"
  avail_kb=$(df -Pk "$gocache" | awk 'NR == 2 { print $4 }')
  [ "$avail_kb" -ge $((need_gb * 1024 * 1024)) ] ||
    die "not enough free disk for Go's build cache $gocache: $((avail_kb / 1024 / 1024)) GB free, $need_gb GB needed"
}

check_go() {
  command -v go >/dev/null 2>&1 || die "Go not found on PATH (need Go >= $MIN_GO)"
  local v
  v=$(go env GOVERSION | sed 's/^go//')
  version_ge "$v" "$MIN_GO" || die "Go $v is too old (need Go >= $MIN_GO)"
}

check_python() {
  command -v python3 >/dev/null 2>&1 || die "python3 not found on PATH (need Python >= $MIN_PY with venv)"
  local v
  v=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  version_ge "$v" "$MIN_PY" || die "Python $v is too old (need Python >= $MIN_PY)"
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || die "Python's venv/ensurepip module is missing (Debian: apt-get install python3-venv)"
}

platform() { echo "$(go env GOOS)_$(go env GOARCH)"; }

# tf_version BINARY: prints the version number of a terraform or tofu binary (empty if it is neither).
# CHECKPOINT_DISABLE: Terraform would otherwise look up the latest version at checkpoint-api.hashicorp.com.
tf_version() {
  CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null | tr -d '\n' |
    sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p'
}

# find_binary: chooses the Terraform-compatible binary and sets TF_NAME (what TERRAFORM_BINARY_NAME
# gets), TF_PATH, TF_VERSION and TF_ORIGIN; returns 1 when there is none. Order: TERRAFORM_BINARY_NAME
# if set, else terraform then tofu on PATH, else the OpenTofu built into the cache.
find_binary() {
  local name candidates=() p v
  if [ -n "${TERRAFORM_BINARY_NAME:-}" ]; then candidates=("$TERRAFORM_BINARY_NAME"); else candidates=(terraform tofu); fi
  for name in "${candidates[@]}"; do
    p=$(command -v "$name" 2>/dev/null) || continue
    if [ "$p" = "$CACHE/bin/tofu" ]; then break; fi # the cached build, judged below
    v=$(tf_version "$p")
    if [ -z "$v" ]; then log "ignoring $p: \`$name version -json\` gives no version"; continue; fi
    if ! version_ge "$v" "$MIN_TF"; then log "ignoring $name $v at $p: older than $MIN_TF"; continue; fi
    TF_NAME="$name" TF_PATH="$p" TF_VERSION="$v" TF_ORIGIN="on PATH"
    return 0
  done
  case "${TERRAFORM_BINARY_NAME:-tofu}" in
    tofu | "$CACHE/bin/tofu")
      if [ -x "$CACHE/bin/tofu" ]; then
        TF_NAME=tofu TF_PATH="$CACHE/bin/tofu" TF_VERSION=$(tf_version "$CACHE/bin/tofu") TF_ORIGIN="built into the cache"
        return 0
      fi ;;
  esac
  return 1
}

print_env() {
  if [ ! -f "$CACHE/tofurc" ] || [ ! -f "$CACHE/providers.tsv" ]; then
    die "toolchain not built yet in $CACHE: run scripts/toolchain.sh (npm run toolchain)"
  fi
  find_binary || die "no terraform or tofu >= $MIN_TF${TERRAFORM_BINARY_NAME:+ named $TERRAFORM_BINARY_NAME} on PATH nor in $CACHE/bin: run scripts/toolchain.sh (npm run toolchain)"
  # shellcheck disable=SC2016  # $PATH is meant to expand where the output is evaluated
  printf 'export PATH=%q:"$PATH"\n' "$CACHE/bin"
  printf 'export TF_CLI_CONFIG_FILE=%q\n' "$CACHE/tofurc"
  printf 'export TERRAFORM_BINARY_NAME=%q\n' "$TF_NAME"
  printf 'export CHECKPOINT_DISABLE=1\n'
  printf 'export DBX_CDKTF_MIRROR=%q\n' "$CACHE/mirror"
}

status() {
  echo "cache:   $CACHE"
  if find_binary; then
    echo "binary:  $TF_NAME $TF_VERSION ($TF_PATH, $TF_ORIGIN): TERRAFORM_BINARY_NAME=$TF_NAME"
  else
    echo "binary:  none (no terraform or tofu >= $MIN_TF${TERRAFORM_BINARY_NAME:+ named $TERRAFORM_BINARY_NAME}; npm run toolchain builds OpenTofu $TOFU_VERSION)"
  fi
  if [ -x "$CACHE/bin/tofu" ]; then echo "tofu:    built, $(tf_version "$CACHE/bin/tofu")"; else echo "tofu:    not built"; fi
  if [ -f "$CACHE/providers.tsv" ]; then
    echo "providers (type, namespace, bindings want, mirror holds, module version):"
    sed 's/^/  /' "$CACHE/providers.tsv"
  else
    echo "providers: none"
  fi
  if [ -x "$CACHE/bin/checkov" ]; then echo "checkov: $("$CACHE/bin/checkov" --version)"; else echo "checkov: not installed"; fi
  if [ -x "$CACHE/venv/bin/python" ]; then
    echo "moto:    $("$CACHE/venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null || echo missing)"
  fi
}

# ---------------------------------------------------------------- steps
step_tofu() {
  local t0 out
  t0=$(now)
  out="$CACHE/tofu/$TOFU_VERSION/tofu"
  if is_built "$out" "$TOFU_LDFLAGS"; then
    log "tofu $TOFU_VERSION: cached"
  else
    log "tofu $TOFU_VERSION: building from $TOFU_MODULE (cold: a few minutes)"
    local dir
    dir=$(module_dir "$TOFU_MODULE" "$TOFU_VERSION") ||
      die "OpenTofu $TOFU_VERSION is not available from the Go module proxy"
    build_from_dir "build-tofu-$TOFU_VERSION" "$dir" "$TOFU_MODULE" "$TOFU_VERSION" ./cmd/tofu "$out" "$TOFU_LDFLAGS"
  fi
  mkdir -p "$CACHE/bin"
  ln -sfn "$out" "$CACHE/bin/tofu"
  log "tofu: done ($(elapsed "$t0"))"
}

# Builds one provider; prints "type ns wanted actual module-version" to stdout.
step_provider() {
  local row="$1" type ns wanted mod candidates t0 cand mver pver out dir
  IFS='|' read -r type ns wanted mod candidates <<<"$row"
  t0=$(now)
  for cand in $candidates; do
    mver="${cand%%=*}"; pver="${cand#*=}"
    out="$CACHE/providers/$type/$mver/terraform-provider-$type"
    if is_built "$out"; then
      log "provider $ns/$type $pver ($mver): cached"
    else
      log "provider $ns/$type $pver: fetching and building $mod@$mver"
      [ "$type" = aws ] && log "  (the AWS provider is a very large build: expect tens of minutes and GBs of RAM cold)"
      dir=$(module_dir "$mod" "$mver") || continue
      build_from_dir "build-provider-$type-$pver" "$dir" "$mod" "$mver" . "$out"
    fi
    if [ "$pver" != "$wanted" ]; then
      log "  WARNING: bindings wrap $ns/$type $wanted; the mirror holds $pver instead (exact version not served by the Go module proxy or not configured: see docs/toolchain.md)"
    fi
    log "provider $ns/$type: done ($(elapsed "$t0"))"
    printf '%s\t%s\t%s\t%s\t%s\n' "$type" "$ns" "$wanted" "$pver" "$mver"
    return 0
  done
  die "no buildable version of $ns/$type (wanted $wanted) is available from the Go module proxy"
}

# Unpacked filesystem mirror: HOST/NS/TYPE/VERSION/OS_ARCH/terraform-provider-TYPE_vVERSION,
# under both registry hosts (cdktf emits short sources such as "aws", which OpenTofu reads as
# registry.opentofu.org/hashicorp/aws; Terraform would read registry.terraform.io/...).
step_mirror() {
  local t0 plat tmp type ns wanted pver mver host d src
  t0=$(now)
  plat=$(platform)
  tmp="$CACHE/mirror.new"
  rm -rf "$tmp"
  while IFS=$'\t' read -r type ns wanted pver mver; do
    src="$CACHE/providers/$type/$mver/terraform-provider-$type"
    for host in "${MIRROR_HOSTS[@]}"; do
      d="$tmp/$host/$ns/$type/$pver/$plat"
      mkdir -p "$d"
      ln "$src" "$d/terraform-provider-${type}_v$pver" 2>/dev/null || cp "$src" "$d/terraform-provider-${type}_v$pver"
    done
  done <"$CACHE/providers.tsv"
  rm -rf "$CACHE/mirror"
  mv "$tmp" "$CACHE/mirror"
  cat >"$CACHE/tofurc" <<EOF
# Written by scripts/toolchain.sh. Providers come only from the local mirror: no registry access.
provider_installation {
  filesystem_mirror {
    path    = "$CACHE/mirror"
    include = ["registry.opentofu.org/*/*", "registry.terraform.io/*/*"]
  }
}
EOF
  log "mirror + tofurc: done ($(elapsed "$t0"))"
}

step_venv() {
  local t0 pins stamp venv="$CACHE/venv"
  t0=$(now)
  pins="checkov==$CHECKOV_VERSION moto[server]==$MOTO_VERSION"
  stamp="$venv/.pins"
  if [ -x "$venv/bin/checkov" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$pins" ]; then
    log "python venv (checkov $CHECKOV_VERSION, moto $MOTO_VERSION): cached"
  else
    log "python venv: installing $pins from PyPI"
    rm -rf "$venv"
    local constraints
    constraints="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/toolchain-python-constraints.txt"
    [ -f "$constraints" ] || die "missing $constraints"
    # shellcheck disable=SC2016
    run_measured venv bash -c 'python3 -m venv "$1" && "$1/bin/pip" install --quiet --disable-pip-version-check -c "$2" "${@:3}"' \
      _ "$venv" "$constraints" "checkov==$CHECKOV_VERSION" "moto[server]==$MOTO_VERSION"
    echo "$pins" >"$stamp"
  fi
  mkdir -p "$CACHE/bin"
  ln -sfn "$venv/bin/checkov" "$CACHE/bin/checkov"
  ln -sfn "$venv/bin/moto_server" "$CACHE/bin/moto_server"
  log "python venv: done ($(elapsed "$t0"))"
}

# ---------------------------------------------------------------- main
main() {
  case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    --print-env) print_env; exit 0 ;;
    --status) status; exit 0 ;;
    "") ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac

  local t_all
  t_all=$(now)
  check_go
  check_python
  mkdir -p "$CACHE/logs"
  local need_tofu=1
  if find_binary; then
    need_tofu=0
  else
    case "${TERRAFORM_BINARY_NAME:-tofu}" in
      tofu) ;;
      *) die "TERRAFORM_BINARY_NAME=$TERRAFORM_BINARY_NAME: no such binary >= $MIN_TF on PATH (unset it to use a terraform or tofu from PATH, or to build OpenTofu)" ;;
    esac
  fi
  # A cold build needs room for the Go build cache; a warm one almost none.
  if { [ "$need_tofu" = 1 ] && ! is_built "$CACHE/tofu/$TOFU_VERSION/tofu" "$TOFU_LDFLAGS"; } || [ ! -f "$CACHE/providers.tsv" ]; then
    check_disk "${DBX_CDKTF_MIN_FREE_GB:-10}"
  else
    check_disk 1
  fi

  exec 9>"$CACHE/.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -n 9 || { log "another toolchain build holds $CACHE/.lock; waiting"; flock 9; }
  fi

  log "cache: $CACHE (Go caches: $(go env GOMODCACHE), $(go env GOCACHE))"
  if [ "$need_tofu" = 1 ]; then
    log "no terraform or tofu >= $MIN_TF${TERRAFORM_BINARY_NAME:+ named $TERRAFORM_BINARY_NAME} found: building OpenTofu $TOFU_VERSION"
    step_tofu
    find_binary || die "OpenTofu was built but $CACHE/bin/tofu does not run"
  fi
  log "binary: $TF_NAME $TF_VERSION ($TF_PATH, $TF_ORIGIN)"

  local row type rows=()
  for row in "${PROVIDER_TABLE[@]}"; do
    type="${row%%|*}"
    case " $WANTED_PROVIDERS " in *" $type "*) rows+=("$row") ;; esac
  done
  [ "${#rows[@]}" -gt 0 ] || die "DBX_CDKTF_PROVIDERS names no known provider (aws databricks time)"
  : >"$CACHE/providers.tsv.new"
  for row in "${rows[@]}"; do
    step_provider "$row" >>"$CACHE/providers.tsv.new"
  done
  mv "$CACHE/providers.tsv.new" "$CACHE/providers.tsv"
  step_mirror
  step_venv

  log "all done ($(elapsed "$t_all")). Use it with:"
  log "  eval \"\$(scripts/toolchain.sh --print-env)\""
  print_env
}

main "$@"
