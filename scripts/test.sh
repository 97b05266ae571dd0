#!/usr/bin/env bash
# The full test suite: installs and starts the stack parts the tests use
# (PostgreSQL, registry, BuildKit and the base image; tests run their own in-JVM
# Kafka), then `./mvnw -B verify` on the newest JDK >= 21, then a summary.
#
#   scripts/test.sh [MAVEN ARGS...]     e.g. scripts/test.sh -pl core -am
#
# With CI=true the stack parts this run started are stopped at the end, and the
# root pom's ci profile checks formatting instead of rewriting files.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "${SCRIPTS}/lib.sh"
cd "${KILN_REPO}"

TEST_PARTS=(postgres registry buildkit)
run_started=${SECONDS}
stage_times=()

# Runs "$@" as a named stage and records its wall time; returns its status.
stage() {
  local name="$1" started=${SECONDS} status=0
  shift
  kiln_log "== ${name}"
  "$@" || status=$?
  stage_times+=("${name}: $((SECONDS - started))s")
  return "${status}"
}

# Reads the Surefire and Failsafe XML reports of this run and prints
# "tests: N passed, N failed, N skipped".
summarize_reports() {
  find . \( -path '*/target/surefire-reports/TEST-*.xml' -o \
    -path '*/target/failsafe-reports/TEST-*.xml' \) \
    -exec sed -n 's/.*<testsuite \(.*\)>.*/\1/p' {} + |
    awk '
      function attr(name,   m) {
        if (match($0, name "=\"[0-9]+\"")) {
          m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0
        }
        return 0
      }
      { tests += attr("tests"); failed += attr("failures") + attr("errors"); skipped += attr("skipped") }
      END { printf "tests: %d passed, %d failed, %d skipped\n", tests - failed - skipped, failed, skipped }'
}

# shellcheck disable=SC2317 # runs from the EXIT trap
stop_started_parts() {
  if ((${#started_parts[@]} > 0)); then
    kiln_log "CI: stopping the stack parts this run started: ${started_parts[*]}"
    "${SCRIPTS}/stack.sh" down "${started_parts[@]}" || true
  fi
}

kiln_use_java
kiln_log "JDK: ${JAVA_HOME}"

# Remember what already ran, so CI stops only what this run started.
started_parts=()
for part in "${TEST_PARTS[@]}"; do
  "${SCRIPTS}/stack.sh" status 2>/dev/null | grep -qE "^${part} +yes +yes" ||
    started_parts+=("${part}")
done
[[ "${CI:-}" == true ]] && trap stop_started_parts EXIT

stage "install" "${SCRIPTS}/stack.sh" install
stage "stack up" "${SCRIPTS}/stack.sh" up "${TEST_PARTS[@]}"

# Tests read KILN_TEST_* (dev.kiln.testkit.StackEndpoints); point them at this
# stack even when its ports were moved with KILN_STACK_*_PORT.
eval "$("${SCRIPTS}/stack.sh" env)"
export KILN_TEST_DB_URL="${KILN_DB_URL}" KILN_TEST_DB_USER="${KILN_DB_USER}"
export KILN_TEST_DB_PASSWORD="${KILN_DB_PASSWORD}" KILN_TEST_REGISTRY="${KILN_REGISTRY}"
export KILN_TEST_BUILDKIT_ADDR="${KILN_BUILDKIT_ADDR}"
# The dev broker is not part of a test run; tests start an in-JVM one.
unset KILN_KAFKA_BOOTSTRAP

# Stale reports of renamed or deleted tests would skew the summary.
find . -type d \( -path '*/target/surefire-reports' -o -path '*/target/failsafe-reports' \) \
  -prune -exec rm -rf {} +

maven_status=0
stage "mvn verify" ./mvnw -B --no-transfer-progress verify "$@" || maven_status=$?

# The README's first command, end to end from the packaged jars: what the in-JVM
# tests cannot see (a service's runtime classpath, the scripts, the launcher).
# shellcheck disable=SC2317 # runs through stage
demo_smoke() {
  local log="${KILN_REPO}/.stack/logs/demo-smoke.log" expected
  mkdir -p "$(dirname "${log}")"
  "${SCRIPTS}/demo.sh" 2>&1 | tee "${log}"
  for expected in "/cindy/api:kiln' successfully pushed" \
    'Smart Builds is skipping build of "api" because it'"'"'s already built' \
    "/david/api:kiln' successfully pushed"; do
    grep -qF -- "${expected}" "${log}" || {
      kiln_warn "the demo's output lacks: ${expected} (log: ${log})"
      return 1
    }
  done
  launcher_locale_smoke
}

# The launcher under a C locale: a context path with non-ASCII bytes must still reach kiln, and
# hash as under UTF-8 (the JVM would otherwise decode the path to '?' before kiln sees it).
# shellcheck disable=SC2317 # runs through demo_smoke
launcher_locale_smoke() {
  local dir hash_c hash_utf8
  dir="$(mktemp -d "${TMPDIR:-/tmp}/kiln-locale.XXXXXX")/café"
  mkdir -p "${dir}" && printf 'FROM scratch\n' >"${dir}/Dockerfile" && touch "${dir}/$(printf 'n\377')"
  hash_c="$(LC_ALL=C "${KILN_REPO}/kiln" hash --context "${dir}" --scope smoke/kiln)" || return 1
  hash_utf8="$(LC_ALL=C.UTF-8 "${KILN_REPO}/kiln" hash --context "${dir}" --scope smoke/kiln)" \
    || return 1
  rm -rf "$(dirname "${dir}")"
  if [[ -z "${hash_c}" || "${hash_c}" != "${hash_utf8}" ]]; then
    kiln_warn "kiln hash differs under LC_ALL=C (${hash_c}) and C.UTF-8 (${hash_utf8})"
    return 1
  fi
  echo "launcher locale smoke: the same hash under C and C.UTF-8 (${hash_c})"
}

demo_status=0
if ((maven_status == 0 && $# == 0)); then
  [[ "${CI:-}" == true ]] && trap 'stop_started_parts; "${SCRIPTS}/services.sh" down || true' EXIT
  "${SCRIPTS}/stack.sh" status 2>/dev/null | grep -qE "^kafka +yes +yes" || started_parts+=(kafka)
  stage "demo smoke" demo_smoke || demo_status=$?
fi

echo
echo "== kiln test summary"
printf '   %s\n' "${stage_times[@]}"
printf '   total %ss\n' "$((SECONDS - run_started))"
if ((maven_status != 0)); then
  echo "   result: FAILED (mvn exit ${maven_status}; the first failure is in the Maven log above)"
elif ((demo_status != 0)); then
  echo "   result: FAILED (the demo smoke run; its output is above)"
else
  echo "   result: PASSED"
fi
summarize_reports
((maven_status != 0)) && exit "${maven_status}"
exit "${demo_status}"
