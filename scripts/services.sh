#!/usr/bin/env bash
# kiln's own services on loopback, as plain JVM processes beside the stack:
# registry-service, api-gateway, hash-service and build-worker. Idempotent.
#
#   scripts/services.sh up        build the service jars when stale, start what is not running
#   scripts/services.sh down      stop the services this stack dir started
#   scripts/services.sh status    each service and whether it runs
#   scripts/services.sh env       export lines for the CLI and the admin API
#
# Needs the stack (scripts/stack.sh up). Logs: $KILN_STACK_DIR/logs/<service>.log.
# Secrets (admin token, context URL key) are generated once into
# $KILN_STACK_DIR/secrets.env, readable by root only.
set -euo pipefail

SERVICE_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "${SERVICE_SCRIPTS}/lib.sh"

STACK_DIR="$(kiln_stack_dir)"
SERVICES=(registry-service api-gateway hash-service build-worker)
GATEWAY_PORT="${KILN_GATEWAY_PORT:-8480}"
REGISTRY_SERVICE_PORT="${KILN_REGISTRY_SERVICE_PORT:-8491}"

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

build_jars() {
  local log="${STACK_DIR}/logs/services-build.log"
  kiln_log "building the service jars (./mvnw -pl $(IFS=,; echo "${SERVICES[*]}") -am package);" \
    "log: ${log}"
  if ! kiln_package_jars "${log}" "${SERVICES[@]}"; then
    tail -n 40 "${log}" >&2
    kiln_die "tried to build the service jars but Maven failed (see ${log})"
  fi
}

ensure_secrets() {
  local file="${STACK_DIR}/secrets.env"
  if [[ ! -s "${file}" ]]; then
    umask 077
    {
      printf 'KILN_ADMIN_TOKEN=%s\n' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
      printf 'KILN_CONTEXT_URL_SECRET=%s\n' "$(head -c 32 /dev/urandom | base64 | tr -d '=')"
    } >"${file}"
  fi
  set -a
  # shellcheck source=/dev/null
  source "${file}"
  set +a
}

load_env() {
  eval "$("${SERVICE_SCRIPTS}/stack.sh" env)"
  export KILN_HTTP_ADDR="127.0.0.1:${GATEWAY_PORT}"
  export KILN_PUBLIC_URL="http://127.0.0.1:${GATEWAY_PORT}"
  export KILN_GRPC_ADDR="127.0.0.1:${REGISTRY_SERVICE_PORT}"
  export KILN_REGISTRY_SERVICE="127.0.0.1:${REGISTRY_SERVICE_PORT}"
  ensure_secrets
}

# Starts service $1 unless it runs; waits for port $2 when given.
start_service() {
  local service="$1" port="${2:-}" pidfile="${STACK_DIR}/pids/$1.pid" jar pid
  local log="${STACK_DIR}/logs/$1.log"
  if kiln_pid_alive "${pidfile}" "kiln-${service}"; then
    kiln_log "${service}: already running (pid $(cat "${pidfile}"))"
    return 0
  fi
  jar="$(kiln_module_jar "${service}")" || kiln_die "no jar for ${service}; run scripts/services.sh up"
  if [[ -n "${port}" ]] && kiln_port_open 127.0.0.1 "${port}"; then
    kiln_die "tried to start ${service} on 127.0.0.1:${port} but another process listens there" \
      "(not started from ${STACK_DIR}); stop it, or move kiln with KILN_GATEWAY_PORT /" \
      "KILN_REGISTRY_SERVICE_PORT"
  fi
  setsid "${JAVA_HOME}/bin/java" -Xmx512m -jar "${jar}" >>"${log}" 2>&1 </dev/null &
  pid=$!
  echo "${pid}" >"${pidfile}"
  if [[ -n "${port}" ]]; then
    kiln_wait_port 127.0.0.1 "${port}" 60 "${pid}" ||
      kiln_die "${service} did not start listening on 127.0.0.1:${port}; see ${log}"
  else
    sleep 1
    kill -0 "${pid}" 2>/dev/null || kiln_die "${service} exited at start; see ${log}"
  fi
  kiln_log "${service}: running (pid ${pid}, log ${log})"
}

cmd_up() {
  mkdir -p "${STACK_DIR}/logs" "${STACK_DIR}/pids"
  kiln_use_java
  if kiln_jars_stale "${SERVICES[@]}"; then
    # A running JVM loads classes lazily from its jar: replacing the jar under it breaks it.
    if any_running; then
      kiln_log "sources changed: stopping the running services to rebuild them"
      cmd_down
    fi
    build_jars
  fi
  load_env
  start_service registry-service "${REGISTRY_SERVICE_PORT}"
  start_service api-gateway "${GATEWAY_PORT}"
  start_service hash-service
  start_service build-worker
}

any_running() {
  local service
  for service in "${SERVICES[@]}"; do
    kiln_pid_alive "${STACK_DIR}/pids/${service}.pid" "kiln-${service}" && return 0
  done
  return 1
}

cmd_down() {
  local index service
  for ((index = ${#SERVICES[@]} - 1; index >= 0; index--)); do
    service="${SERVICES[index]}"
    kiln_stop_pidfile "${STACK_DIR}/pids/${service}.pid" "kiln-${service}"
  done
}

cmd_status() {
  local service pidfile all=0
  printf '%-18s %s\n' SERVICE RUNNING
  for service in "${SERVICES[@]}"; do
    pidfile="${STACK_DIR}/pids/${service}.pid"
    if kiln_pid_alive "${pidfile}" "kiln-${service}"; then
      printf '%-18s yes (pid %s)\n' "${service}" "$(cat "${pidfile}")"
    else
      printf '%-18s no\n' "${service}"
      all=1
    fi
  done
  return "${all}"
}

cmd_env() {
  load_env >/dev/null
  printf 'export KILN_URL=%s\n' "${KILN_PUBLIC_URL}"
  printf 'export KILN_ADMIN_TOKEN=%s\n' "${KILN_ADMIN_TOKEN}"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) usage ;;
esac
