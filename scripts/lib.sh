# shellcheck shell=bash
# Shared helpers for kiln's scripts. Source it; it defines functions and a few
# variables and runs nothing else.
#
#   KILN_REPO       the repository root (this file's parent's parent)

KILN_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Logging goes to stderr so that commands whose stdout is consumed (env, status)
# stay clean.
kiln_log() { printf '%s [kiln] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
kiln_warn() { printf '%s [kiln] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
kiln_die() {
  printf '%s [kiln] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2
  exit 1
}

# Prints the newest JDK >= 21 under /usr/lib/jvm (or $KILN_JVM_ROOT). An explicit
# JAVA_HOME wins when it is new enough, so a developer can pin one.
kiln_java_home() {
  local root="${KILN_JVM_ROOT:-/usr/lib/jvm}" best="" best_major=0 dir major found
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    major="$(kiln_java_major "${JAVA_HOME}")"
    if ((major >= 21)); then
      printf '%s\n' "${JAVA_HOME}"
      return 0
    fi
  fi
  for dir in "${root}"/*; do
    # Debian ships symlinks beside the real directories; each counts once.
    [[ -L "${dir}" || ! -x "${dir}/bin/java" || ! -x "${dir}/bin/javac" ]] && continue
    major="$(kiln_java_major "${dir}")"
    if ((major > best_major)); then
      best="${dir}"
      best_major="${major}"
    fi
  done
  if ((best_major < 21)); then
    ((best_major > 0)) && found="JDK ${best_major}" || found="no JDK"
    kiln_warn "tried to find a JDK >= 21 under ${root} but found ${found} there;" \
      "install one (e.g. apt-get install openjdk-21-jdk-headless)" \
      "or set JAVA_HOME to a JDK >= 21"
    return 1
  fi
  printf '%s\n' "${best}"
}

# Prints the feature release (17, 21, 25, ...) of the JDK at $1, 0 when unknown.
kiln_java_major() {
  local release="$1/release" version
  if [[ -f "${release}" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${release}")"
  else
    version="$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  fi
  printf '%s\n' "${version:-0}"
}

# Exports JAVA_HOME and PATH for the chosen JDK, or exits with the reason.
kiln_use_java() {
  local home
  home="$(kiln_java_home)" || kiln_die "no JDK >= 21 to run kiln with; see the warning above"
  export JAVA_HOME="${home}"
  export PATH="${JAVA_HOME}/bin:${PATH}"
}

kiln_stack_dir() { printf '%s\n' "${KILN_STACK_DIR:-${KILN_REPO}/.stack}"; }

# True when something accepts TCP connections on host:port.
kiln_port_open() {
  local host="$1" port="$2"
  (exec 3<>"/dev/tcp/${host}/${port}") 2>/dev/null
}

# Waits until host:port accepts connections. Arguments: host port timeout-seconds
# [pid]. With a pid, gives up early when that process has exited.
kiln_wait_port() {
  local host="$1" port="$2" timeout="$3" pid="${4:-}" deadline
  deadline=$((SECONDS + timeout))
  until kiln_port_open "${host}" "${port}"; do
    if [[ -n "${pid}" ]] && ! kill -0 "${pid}" 2>/dev/null; then
      return 1
    fi
    ((SECONDS >= deadline)) && return 1
    sleep 0.2
  done
}

# True when the pid file $1 names a live process whose command line contains $2
# (when given): a stale file whose pid was reused by something else is not ours.
kiln_pid_alive() {
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(head -n1 "$1")"
  [[ "${pid}" =~ ^[0-9]+$ ]] && kill -0 "${pid}" 2>/dev/null || return 1
  [[ -z "${2:-}" ]] || tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# Stops the process named by pid file $1 when its command line contains $2
# (TERM, then KILL after $3 seconds, default 20) and removes the file.
kiln_stop_pidfile() {
  local file="$1" pattern="$2" grace="${3:-20}" pid deadline
  if ! kiln_pid_alive "${file}" "${pattern}"; then
    rm -f "${file}"
    return 0
  fi
  pid="$(cat "${file}")"
  kill -TERM "${pid}" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while kill -0 "${pid}" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kiln_warn "process ${pid} (${file}) ignored TERM for ${grace}s; sending KILL"
      kill -KILL "${pid}" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "${file}"
}

# Prints the runnable jar of module $1 (e.g. cli, api-gateway); fails when it is not built.
kiln_module_jar() {
  local jar
  for jar in "${KILN_REPO}/$1/target/kiln-$1-"*.jar; do
    case "${jar}" in *-sources.jar | *-javadoc.jar | *-tests.jar) continue ;; esac
    [[ -f "${jar}" ]] && printf '%s\n' "${jar}" && return 0
  done
  return 1
}

# True when the jar of any module named in "$@" is missing or older than what goes into it:
# the poms and main sources/resources of that module, core and proto (tests never do).
kiln_jars_stale() {
  local module jar
  for module in "$@"; do
    jar="$(kiln_module_jar "${module}")" || return 0
    [[ -n "$(cd "${KILN_REPO}" && find pom.xml "${module}/pom.xml" core/pom.xml proto/pom.xml \
      "${module}/src/main" core/src/main proto/src/main -type f -newer "${jar}" -print -quit \
      2>/dev/null)" ]] && return 0
  done
  return 1
}

# Packages the modules in "$@" (and what they need) without tests, output in log file $LOG
# (first argument); dates each jar to the build's start, since Maven leaves an unchanged jar's
# mtime alone and a source edited during the build must stay newer than the jar.
kiln_package_jars() {
  local log="$1" started module modules
  shift
  modules="$(IFS=,; echo "$*")"
  started="$(date '+%Y-%m-%d %H:%M:%S.%N')"
  (cd "${KILN_REPO}" && ./mvnw -B -q -pl "${modules}" -am package -Dmaven.test.skip=true) \
    >"${log}" 2>&1 || return 1
  for module in "$@"; do
    touch -d "${started}" "$(kiln_module_jar "${module}")" || return 1
  done
}

# --- the JVM of kiln's command line -----------------------------------------------------------
# ./kiln runs the CLI, and bench/hash/run.sh runs its harness (which does what `kiln hash` does),
# with these flags and an AOT cache from kiln_aot_cache. The serial collector starts fastest and a
# CLI run is short; native access lets kiln-core call statx(2) directly (FileStat), which the
# JDK's file API makes expensive; JVM warnings go to stderr, where they cannot mix with what a
# command prints.
KILN_CLI_JVM_FLAGS=(-XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Xlog:disable
  -Xlog:all=warning:stderr)

# Prints the JVM flag that loads the AOT cache of an application (JDK 25+, JEP 483/515: classes
# loaded and linked, and method profiles, so the JIT compiles hot code sooner), creating the cache
# first when it is missing or older than any of its jars. $1 lists the jars, ':'-separated, main
# jar first: the cache lives beside it, one per JDK build and set of flags. The rest of the
# arguments start the training run ("java KILN_CLI_JVM_FLAGS ARGS"), in which {context} stands for
# a sample context (kiln_sample_context) and {scratch} for an empty directory. Prints nothing on
# older JDKs, or when training failed, which is not tried again until a jar changes: the cache
# only saves time.
kiln_aot_cache() {
  local jars cache failed work status jar stale=false retry=true
  IFS=: read -r -a jars <<<"$1"
  shift
  (($(kiln_java_major "${JAVA_HOME}") >= 25)) || return 0
  # the JVM refuses, with errors, a cache made by another JDK build or with other flags
  cache="${jars[0]%.jar}.jdk-$(kiln_java_runtime_version "${JAVA_HOME}")"
  cache+=".$(printf '%s ' "${KILN_CLI_JVM_FLAGS[@]}" | cksum | cut -d' ' -f1).aot"
  failed="${cache}.failed"
  for jar in "${jars[@]}"; do
    if [[ ! -s "${cache}" || "${jar}" -nt "${cache}" ]]; then
      stale=true
    fi
  done
  if [[ "${stale}" == true && -f "${failed}" ]]; then
    retry=false
    for jar in "${jars[@]}"; do
      if [[ "${jar}" -nt "${failed}" ]]; then
        retry=true
      fi
    done
  fi
  [[ "${retry}" == true ]] || return 0
  if [[ "${stale}" == true ]]; then
    kiln_log "preparing the AOT cache of ${jars[0]##*/} (once per build, a few seconds)"
    work="$(mktemp -d "${TMPDIR:-/tmp}/kiln-aot.XXXXXX")" || return 0
    if ! kiln_sample_context "${work}/context" || ! mkdir "${work}/scratch"; then
      rm -rf "${work}"
      return 0
    fi
    local args=("${@//\{context\}/${work}/context}")
    args=("${args[@]//\{scratch\}/${work}/scratch}")
    # written beside the cache and renamed over it, so concurrent runs never see half a cache
    status=0
    XDG_CACHE_HOME="${work}/scratch" "${JAVA_HOME}/bin/java" "${KILN_CLI_JVM_FLAGS[@]}" \
      -XX:AOTCacheOutput="${cache}.$$.tmp" "${args[@]}" >"${work}/training.log" 2>&1 ||
      status=$?
    if ((status == 0)) && [[ -s "${cache}.$$.tmp" ]]; then
      mv -f "${cache}.$$.tmp" "${cache}"
      rm -f "${failed}"
      for jar in "${jars[0]%.jar}".jdk-*.aot; do
        [[ "${jar}" == "${cache}" ]] || rm -f "${jar}" # made for another JDK or other flags
      done
    else
      rm -f "${cache}.$$.tmp" "${cache}.$$.tmp.config"
      cp "${work}/training.log" "${failed}"
      kiln_warn "tried to create the AOT cache ${cache} but the training run failed" \
        "(exit ${status}, log in ${failed}); running without it until the jars change"
      rm -rf "${work}"
      return 0
    fi
    rm -rf "${work}"
  fi
  printf '%s\n' "-XX:AOTCache=${cache}"
}

# Prints the JDK build at $1 (JAVA_RUNTIME_VERSION of its release file, e.g. 25.0.3+9-LTS).
kiln_java_runtime_version() {
  local version
  version="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$1/release" 2>/dev/null)"
  if [[ -z "${version}" ]]; then
    version="$("$1/bin/java" -version 2>&1 | head -1 | tr -c 'A-Za-z0-9.+-' _)"
  fi
  printf '%s\n' "${version}"
}

# Writes a small build context to directory $1 for training runs: 2,000 short files in 40
# directories, an executable, a symlink, a Dockerfile and a .dockerignore that excludes a directory.
kiln_sample_context() {
  local dir="$1" d f
  for ((d = 0; d < 40; d++)); do
    mkdir -p "${dir}/src/pkg${d}"
    for ((f = 0; f < 50; f++)); do
      printf 'package pkg%d; // file %d of a sample context\n' "${d}" "${f}" \
        >"${dir}/src/pkg${d}/file${f}.txt"
    done
  done
  mkdir -p "${dir}/ignored"
  printf 'never hashed\n' >"${dir}/ignored/file.txt"
  printf '#!/bin/sh\necho sample\n' >"${dir}/run.sh"
  chmod +x "${dir}/run.sh"
  ln -s src/pkg0/file0.txt "${dir}/link"
  printf 'FROM scratch\nCOPY . /\n' >"${dir}/Dockerfile"
  printf 'ignored\n' >"${dir}/.dockerignore"
}
