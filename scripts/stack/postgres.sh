# shellcheck shell=bash
# PostgreSQL for the stack: Debian's server binaries, a private cluster under the
# stack dir, run as the `postgres` user (initdb refuses root). Sourced by stack.sh.

PG_PORT="${KILN_STACK_PG_PORT:-55432}"
PG_HOST=127.0.0.1

postgres_address() { printf '%s:%s\n' "${PG_HOST}" "${PG_PORT}"; }

# Prints the newest /usr/lib/postgresql/<major>/bin with major >= 15.
postgres_bin_dir() {
  local dir best="" best_major=0 major
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "${dir}/initdb" ]] || continue
    major="$(basename "$(dirname "${dir}")")"
    [[ "${major}" =~ ^[0-9]+$ ]] || continue
    if ((major >= 15 && major > best_major)); then
      best="${dir}"
      best_major="${major}"
    fi
  done
  [[ -n "${best}" ]] && printf '%s\n' "${best}"
}

# Runs a command as the cluster's owner: `postgres` when we are root.
as_pg_owner() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Prints the cluster's directory, creating it on first use. The postgres user
# must be able to reach it; when the stack dir lies where it cannot (a checkout
# under /root, say), the cluster lives under /var/tmp behind a symlink.
postgres_root() {
  local root="${STACK_DIR}/postgres" elsewhere
  if [[ ! -e "${root}" ]]; then
    mkdir -p "${STACK_DIR}"
    if ((EUID == 0)) && ! as_pg_owner test -x "${STACK_DIR}"; then
      elsewhere="/var/tmp/kiln-postgres-$(printf '%s' "${STACK_DIR}" | cksum | cut -d' ' -f1)"
      mkdir -p "${elsewhere}"
      ln -s "${elsewhere}" "${root}"
    else
      mkdir -p "${root}"
    fi
    ((EUID == 0)) && chown postgres: "$(readlink -f "${root}")"
  fi
  # The resolved path: the postgres user may not be able to walk the symlink's.
  readlink -f "${root}"
}

postgres_answers() {
  local bin
  bin="$(postgres_bin_dir)" || return 1
  "${bin}/pg_isready" -q -h "${PG_HOST}" -p "${PG_PORT}" -t 2
}

postgres_up() {
  local bin root data
  bin="$(postgres_bin_dir)" || kiln_die "tried to start PostgreSQL but no server >= 15 is" \
    "installed under /usr/lib/postgresql; run scripts/stack.sh install"
  root="$(postgres_root)"
  data="${root}/data"
  if [[ -f "${data}/postmaster.pid" ]] && postgres_answers; then
    kiln_log "postgres: already running on $(postgres_address)"
    return 0
  fi
  if kiln_port_open "${PG_HOST}" "${PG_PORT}"; then
    kiln_log "postgres: $(postgres_address) is served by a server this stack dir did not" \
      "start; using it (expects role and database kiln)"
    return 0
  fi
  [[ -f "${data}/PG_VERSION" ]] || postgres_init "${bin}" "${root}"
  as_pg_owner "${bin}/pg_ctl" -D "${data}" -l "${root}/postgres.log" -w -t 60 start >/dev/null ||
    kiln_die "tried to start PostgreSQL from ${data} but pg_ctl failed; see ${root}/postgres.log"
  postgres_create_kiln "${bin}" "${root}"
}

postgres_init() {
  local bin="$1" root="$2"
  kiln_log "postgres: initdb in ${root}/data"
  as_pg_owner mkdir -p "${root}/run" ||
    kiln_die "tried to create ${root}/run as the postgres user but failed; check that user" \
      "can reach and write ${root}"
  as_pg_owner "${bin}/initdb" -D "${root}/data" -U postgres -E UTF8 --locale=C \
    --auth-local=peer --auth-host=scram-sha-256 >"${STACK_DIR}/logs/initdb.log" 2>&1 ||
    kiln_die "tried to initdb ${root}/data but it failed; see ${STACK_DIR}/logs/initdb.log"
  # A throwaway dev/test cluster: durability traded for speed on purpose.
  as_pg_owner tee -a "${root}/data/postgresql.conf" >/dev/null <<EOF
# kiln dev stack
listen_addresses = '${PG_HOST}'
port = ${PG_PORT}
unix_socket_directories = '${root}/run'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

# Creates role and database kiln when missing.
postgres_create_kiln() {
  local bin="$1" root="$2"
  as_pg_owner "${bin}/psql" -q -v ON_ERROR_STOP=1 -h "${root}/run" -p "${PG_PORT}" \
    -U postgres -d postgres >/dev/null <<'SQL' ||
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kiln') THEN
    CREATE ROLE kiln LOGIN PASSWORD 'kiln' CREATEDB;
  END IF;
END
$$;
SELECT 'CREATE DATABASE kiln OWNER kiln'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'kiln') \gexec
SQL
    kiln_die "tried to create role and database kiln but psql failed; see ${root}/postgres.log"
}

postgres_down() {
  local bin root data
  root="$(readlink -f "${STACK_DIR}/postgres")"
  data="${root}/data"
  if [[ ! -f "${data}/postmaster.pid" ]]; then
    kiln_log "postgres: not running from ${data}"
    return 0
  fi
  bin="$(postgres_bin_dir)" || kiln_die "tried to stop PostgreSQL but pg_ctl is missing"
  as_pg_owner "${bin}/pg_ctl" -D "${data}" -m fast -w -t 60 stop >/dev/null ||
    kiln_die "tried to stop PostgreSQL in ${data} but pg_ctl failed; see ${root}/postgres.log"
  kiln_log "postgres: stopped"
}

postgres_status() {
  local process=no answers=no
  [[ -f "${STACK_DIR}/postgres/data/postmaster.pid" ]] &&
    kill -0 "$(head -n1 "${STACK_DIR}/postgres/data/postmaster.pid")" 2>/dev/null && process=yes
  postgres_answers && answers=yes
  printf '%-10s %-8s %-10s %s\n' postgres "${process}" "${answers}" "$(postgres_address) (db/user/password kiln)"
  [[ "${answers}" == yes ]]
}
