#!/usr/bin/env bash
# kiln's local stack: PostgreSQL, an OCI registry, BuildKit and a dev Kafka broker,
# each a plain process on loopback with its state under $KILN_STACK_DIR
# (default <repo>/.stack). Every command is idempotent.
#
#   scripts/stack.sh install            apt packages and BuildKit binaries, when missing
#   scripts/stack.sh up [PART...]       start parts not yet running (default: all)
#   scripts/stack.sh down [PART...]     stop the parts this stack dir started
#   scripts/stack.sh status             each part and whether it answers
#   scripts/stack.sh env                export lines with the addresses
#
# PART is one of: postgres registry buildkit kafka. `up` also pushes the base
# image 127.0.0.1:5100/library/busybox:latest whenever registry and buildkit run.
set -euo pipefail

STACK_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "${STACK_SCRIPTS}/lib.sh"
for part_file in "${STACK_SCRIPTS}"/stack/*.sh; do
  # shellcheck source=/dev/null
  source "${part_file}"
done

STACK_DIR="$(kiln_stack_dir)"
ALL_PARTS=(postgres registry buildkit kafka)

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Sets PARTS to the PART arguments, all parts when none are given; exits on an
# unknown one. (Runs in this shell: a failure in a subshell would not stop us.)
select_parts() {
  local part known_part known
  PARTS=()
  if (($# == 0)); then
    PARTS=("${ALL_PARTS[@]}")
    return
  fi
  for part in "$@"; do
    known=false
    for known_part in "${ALL_PARTS[@]}"; do
      [[ "${part}" == "${known_part}" ]] && known=true
    done
    ${known} || kiln_die "unknown stack part '${part}'; use one of: ${ALL_PARTS[*]}"
    PARTS+=("${part}")
  done
}

cmd_up() {
  local part started_at
  select_parts "$@"
  mkdir -p "${STACK_DIR}/logs" "${STACK_DIR}/pids"
  for part in "${PARTS[@]}"; do
    started_at=${SECONDS}
    "${part}_up"
    kiln_log "${part}: ready ($((SECONDS - started_at))s)"
  done
  if registry_answers && buildkit_answers; then
    started_at=${SECONDS}
    base_image_up
    kiln_log "base image: ready ($((SECONDS - started_at))s)"
  fi
}

cmd_down() {
  local index
  select_parts "$@"
  # Reverse order: the broker and BuildKit may still talk to the others.
  for ((index = ${#PARTS[@]} - 1; index >= 0; index--)); do
    "${PARTS[index]}_down"
  done
}

cmd_status() {
  local part answering=0
  printf '%-10s %-8s %-10s %s\n' PART PROCESS ANSWERS ADDRESS
  for part in "${ALL_PARTS[@]}"; do
    "${part}_status" && answering=$((answering + 1))
  done
  base_image_status || true
  printf 'stack dir: %s\n' "${STACK_DIR}"
  ((answering == ${#ALL_PARTS[@]}))
}

cmd_env() {
  printf 'export KILN_STACK_DIR=%q\n' "${STACK_DIR}"
  printf 'export KILN_KAFKA_BOOTSTRAP=%s\n' "$(kafka_address)"
  printf 'export KILN_DB_URL=%s\n' "jdbc:postgresql://$(postgres_address)/kiln"
  printf 'export KILN_DB_USER=kiln\n'
  printf 'export KILN_DB_PASSWORD=kiln\n'
  printf 'export KILN_REGISTRY=%s\n' "$(registry_address)"
  printf 'export KILN_REGISTRY_INSECURE=%s\n' "$(registry_address)"
  printf 'export KILN_BUILDKIT_ADDR=%s\n' "tcp://$(buildkit_address)"
  printf 'export KILN_CONTEXT_DIR=%q\n' "${STACK_DIR}/contexts"
  printf 'export KILN_BASE_IMAGE=%s\n' "$(base_image_ref)"
}

main() {
  local command="${1:-}"
  (($# > 0)) && shift
  case "${command}" in
    install) install_all "$@" ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status ;;
    env) cmd_env ;;
    *) usage ;;
  esac
}

main "$@"
