#!/usr/bin/env bash
# `./kiln demo`: installs and starts everything kiln needs on loopback, then builds
# the sample manifest examples/kiln.yml twice: as namespace cindy (a real BuildKit
# build, pushed to the local registry) and as namespace david (Smart Builds skips
# the build and retags). The organisation is "demo"; cindy builds with --no-cache
# so every run shows a real BuildKit build (without it, from the second run on the
# image already exists and cindy would be skipped too). The stack and services keep
# running afterwards (stop them with: scripts/services.sh down && scripts/stack.sh down).
set -euo pipefail

DEMO_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "${DEMO_SCRIPTS}/lib.sh"

"${DEMO_SCRIPTS}/stack.sh" install
"${DEMO_SCRIPTS}/stack.sh" up
"${DEMO_SCRIPTS}/services.sh" up
eval "$("${DEMO_SCRIPTS}/services.sh" env)"

# Creates a token for namespace $2 of organisation $1 through the admin API.
create_token() {
  local body
  body="$(curl -sS --fail-with-body -X POST "${KILN_URL}/v1/admin/tokens" \
    -H "Authorization: Bearer ${KILN_ADMIN_TOKEN}" -H 'Content-Type: application/json' \
    -d "{\"org\":\"$1\",\"namespace\":\"$2\"}")" ||
    kiln_die "tried to create a token for $2 in $1 but the gateway said: ${body}"
  sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p' <<<"${body}"
}

org="demo"
cindy="$(create_token "${org}" cindy)"
david="$(create_token "${org}" david)"

# Builds the CLI first so its compile time is not counted in the build timings.
"${KILN_REPO}/kiln" --version >/dev/null

cd "${KILN_REPO}/examples"
echo
echo "== cindy builds examples/kiln.yml (organisation ${org}; --no-cache: always a real build)"
started=$(date +%s%N)
KILN_TOKEN="${cindy}" "${KILN_REPO}/kiln" build --no-cache
build_ms=$((($(date +%s%N) - started) / 1000000))

echo
echo "== david builds the same inputs"
started=$(date +%s%N)
KILN_TOKEN="${david}" "${KILN_REPO}/kiln" build
skip_ms=$((($(date +%s%N) - started) / 1000000))

echo
echo "== demo timings (wall clock, kiln build end to end)"
printf '   build path (cindy): %d ms\n' "${build_ms}"
printf '   skip path  (david): %d ms\n' "${skip_ms}"
echo "   services keep running; stop with: scripts/services.sh down && scripts/stack.sh down"
