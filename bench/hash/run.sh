#!/usr/bin/env bash
# Benchmarks kiln's context hashing beside baselines run in the same script, on
# generated data in a temporary directory that is removed at the end:
#
#   - a large file: kiln's file hashing vs sha256sum (and openssl, for reference)
#   - a 100k-file tree: kiln cold (no stat cache) vs `git add -A` into a fresh repository
#   - the same tree re-hashed with the stat cache (goal: <= 1 s), also on a plain JVM
#   - the tree with a 200k-file node_modules that .dockerignore excludes (goal: <= 1.05x)
#   - peak RSS of the hashing JVM on the large file (contents are streamed)
#
#   bench/hash/run.sh [FILES=100000] [NODE_MODULES_FILES=200000] [BIG_FILE_MIB=1024] [RUNS=5]
#
# Each kiln figure is a whole JVM process (startup included), as each baseline is a
# whole process. Kiln and its baseline run alternately, RUNS times each, and the
# best run of each is compared: on a shared machine the slower runs measure the
# neighbours. The page cache is warm for everyone (the data was just written);
# "cold" means no stat cache.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/lib.sh"
kiln_use_java
cd "${KILN_REPO}"

files="${1:-100000}"
module_files="${2:-200000}"
big_mib="${3:-1024}"
runs="${4:-5}"

for tool in git sha256sum /usr/bin/time; do
  command -v "${tool}" >/dev/null ||
    kiln_die "${tool} is missing; install it (apt-get install git coreutils time)"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/kiln-bench-hash.XXXXXX")"
cleanup() { rm -rf "${work}"; }
trap cleanup EXIT

# ~2 KiB per source file, ~4 KiB of blocks per small file, the big file, git's objects
need_kib=$(((files * 8 + module_files * 5 + big_mib * 1024) * 3 / 2))
free_kib="$(df -Pk "${work}" | awk 'NR == 2 {print $4}')"
((free_kib > need_kib)) ||
  kiln_die "the benchmark needs about $((need_kib / 1024)) MiB in ${work%/*} but only" \
    "$((free_kib / 1024)) MiB are free; set TMPDIR to a roomier place or pass smaller sizes"

kiln_log "building kiln-core, the CLI and the benchmark harness"
./mvnw -B -q -pl core,cli -am install -DskipTests
./mvnw -B -q -f bench/hash/pom.xml package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
# jars only: an AOT cache takes no directories
harness="${KILN_REPO}/bench/hash/target/kiln-bench-hash-0.1.0-SNAPSHOT.jar"
[[ -f "${harness}" ]] || kiln_die "built the benchmark harness but ${harness} is missing;" \
  "check bench/hash/pom.xml's version"
classpath="${harness}:$(cat bench/hash/target/classpath.txt)"

# The kiln launcher's JVM (./kiln, scripts/lib.sh): its flags, and an AOT cache trained the same
# way, on a sample context.
mapfile -t aot < <(kiln_aot_cache "${classpath}" -cp "${classpath}" dev.kiln.bench.hash.HashBench \
  hash '{context}' '{scratch}')
jvm=(java "${KILN_CLI_JVM_FLAGS[@]}" "${aot[@]}" -cp "${classpath}" dev.kiln.bench.hash.HashBench)

# Runs a command under GNU time; appends "wall user sys maxrss_kib" to $1 and the
# command's stderr (kiln's steps) to $1.steps.
timed() {
  local out="$1"
  shift
  /usr/bin/time -f '%e %U %S %M' -a -o "${out}" "$@" >/dev/null 2>>"${out}.steps"
}

# Smallest value of column $2 (1 = wall) of file $1; "cpu" adds user and sys.
best() {
  awk -v c="$2" '{print (c == "cpu") ? $2 + $3 : $c}' "$1" | sort -g | head -1
}

kiln_log "generating: ${files} files, a ${big_mib} MiB file (in ${work})"
"${jvm[@]}" tree "${work}/tree" "${files}" 42
mkdir -p "${work}/big"
printf 'FROM scratch\nCOPY big.bin /\n' >"${work}/big/Dockerfile"
head -c "$((big_mib * 1024 * 1024))" /dev/urandom >"${work}/big/big.bin"

kiln_log "large file: sha256sum, openssl, kiln (${runs} runs each)"
for ((i = 0; i < runs; i++)); do
  timed "${work}/sha256sum" sha256sum "${work}/big/big.bin"
  if command -v openssl >/dev/null; then
    timed "${work}/openssl" openssl dgst -sha256 "${work}/big/big.bin"
  fi
  timed "${work}/kiln-big" "${jvm[@]}" hash "${work}/big"
done
kiln_log "large file: kiln on a C1-only JIT, -XX:TieredStopAtLevel=1 (one run)"
timed "${work}/kiln-big-c1" java "${KILN_CLI_JVM_FLAGS[@]}" "${aot[@]}" -XX:TieredStopAtLevel=1 \
  -cp "${classpath}" dev.kiln.bench.hash.HashBench hash "${work}/big"

kiln_log "tree: git add -A into a fresh repository vs kiln cold (${runs} runs each)"
for ((i = 0; i < runs; i++)); do
  rm -rf "${work}/git" "${work}/cache"
  GIT_DIR="${work}/git" git init -q
  timed "${work}/git-add" env GIT_DIR="${work}/git" GIT_WORK_TREE="${work}/tree" git add -A
  sync # git's 400 MB of new objects would otherwise be written back during kiln's run
  timed "${work}/kiln-cold" "${jvm[@]}" hash "${work}/tree" "${work}/cache"
  sync
done
rm -rf "${work}/git"

kiln_log "tree: kiln warm, with the stat cache, alternating with a plain JVM (${runs} runs each," \
  "after one that fills it)"
# the plain JVM has neither the AOT cache nor native access (FileStat then asks the JDK's map)
plain_jvm=(java -XX:+UseSerialGC -cp "${classpath}" dev.kiln.bench.hash.HashBench)
"${jvm[@]}" hash "${work}/tree" "${work}/cache" >/dev/null 2>&1
for ((i = 0; i < runs; i++)); do
  timed "${work}/kiln-warm" "${jvm[@]}" hash "${work}/tree" "${work}/cache"
  timed "${work}/kiln-warm-plain" "${plain_jvm[@]}" hash "${work}/tree" "${work}/cache"
done
plain_hash="$("${jvm[@]}" hash "${work}/tree" 2>/dev/null)"

kiln_log "tree: the whole CLI as users run it, ./kiln hash --context, warm (${runs} runs)"
./kiln --version >/dev/null # builds the CLI when it is stale
env XDG_CACHE_HOME="${work}/xdg" ./kiln hash --context "${work}/tree" --scope bench/kiln >/dev/null
for ((i = 0; i < runs; i++)); do
  timed "${work}/cli-startup" ./kiln --version
  timed "${work}/cli-warm" env XDG_CACHE_HOME="${work}/xdg" \
    ./kiln hash --context "${work}/tree" --scope bench/kiln
done

kiln_log "generating an ignored node_modules of ${module_files} files"
"${jvm[@]}" node-modules "${work}/tree" "${module_files}" 7
modules_hash="$("${jvm[@]}" hash "${work}/tree" 2>/dev/null)"
kiln_log "tree with and without node_modules, cold, alternating (${runs} runs each)"
for ((i = 0; i < runs; i++)); do
  mv "${work}/tree/node_modules" "${work}/parked"
  timed "${work}/kiln-without" "${jvm[@]}" hash "${work}/tree"
  mv "${work}/parked" "${work}/tree/node_modules"
  timed "${work}/kiln-with" "${jvm[@]}" hash "${work}/tree"
done

# Counting syscalls shows the pruning regardless of noise: an ignored directory costs one lstat.
syscalls() { awk '$NF ~ /stat|getdents/ && $4 ~ /^[0-9]+$/ {n += $4} END {print n + 0}' "$1"; }
if command -v strace >/dev/null; then
  kiln_log "tree with and without node_modules: stat and getdents calls (strace, one run each)"
  mv "${work}/tree/node_modules" "${work}/parked"
  strace --seccomp-bpf -f -qq -c -e trace=%%stat,getdents64 -o "${work}/strace-without" \
    "${jvm[@]}" hash "${work}/tree" >/dev/null 2>&1
  mv "${work}/parked" "${work}/tree/node_modules"
  strace --seccomp-bpf -f -qq -c -e trace=%%stat,getdents64 -o "${work}/strace-with" \
    "${jvm[@]}" hash "${work}/tree" >/dev/null 2>&1
fi

# --- the table ---
big_mb=$((big_mib * 1048576 / 1000000))
mbps() { awk -v mb="${big_mb}" -v s="$1" 'BEGIN {printf "%.0f MB/s", mb / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v v="$1" -v op="$2" -v goal="$3" \
  'BEGIN {ok = (op == "<=") ? v <= goal : v >= goal; print ok ? "met" : "NOT met"}'; }

sha=$(best "${work}/sha256sum" 1)
big=$(best "${work}/kiln-big" 1)
big_c1=$(best "${work}/kiln-big-c1" 1)
big_rss=$(awk '{print $4}' "${work}/kiln-big" | sort -g | tail -1)
git_add=$(best "${work}/git-add" 1)
cold=$(best "${work}/kiln-cold" 1)
warm=$(best "${work}/kiln-warm" 1)
warm_cpu=$(best "${work}/kiln-warm" cpu)
without=$(best "${work}/kiln-without" 1)
with=$(best "${work}/kiln-with" 1)
big_ratio=$(ratio "${sha}" "${big}")
cold_ratio=$(ratio "${cold}" "${git_add}")
modules_ratio=$(ratio "${with}" "${without}")

echo
echo "kiln context hashing, best of ${runs} alternating runs, $(nproc) CPUs," \
  "$(java -version 2>&1 | head -1)"
echo
printf '%-50s %14s %14s %8s  %s\n' measure kiln baseline ratio goal
printf '%-50s %14s %14s %8s  %s\n' "${big_mib} MiB file, throughput (vs sha256sum)" \
  "$(mbps "${big}")" "$(mbps "${sha}")" "${big_ratio}x" \
  ">= 0.8x: $(verdict "${big_ratio}" '>=' 0.8)"
if [[ -s "${work}/openssl" ]]; then
  ssl=$(best "${work}/openssl" 1)
  printf '%-50s %14s %14s %8s  %s\n' "  same, vs openssl dgst -sha256" "$(mbps "${big}")" \
    "$(mbps "${ssl}")" "$(ratio "${ssl}" "${big}")x" "(reference)"
fi
printf '%-50s %14s %14s %8s  %s\n' "  same, kiln JVM with -XX:TieredStopAtLevel=1" \
  "$(mbps "${big_c1}")" "$(mbps "${sha}")" "$(ratio "${sha}" "${big_c1}")x" "(one run)"
printf '%-50s %13ss %13ss %8s  %s\n' "${files} files, cold hash (vs git add -A)" "${cold}" \
  "${git_add}" "${cold_ratio}x" "<= 1x: $(verdict "${cold_ratio}" '<=' 1)"
printf '%-50s %13ss %14s %8s  %s\n' "${files} files, warm re-hash (stat cache)" "${warm}" "" "" \
  "<= 1 s: $(verdict "${warm}" '<=' 1) (CPU ${warm_cpu} s)"
printf '%-50s %13ss %14s %8s  %s\n' "  same, plain JVM: no AOT cache, no native access" \
  "$(best "${work}/kiln-warm-plain" 1)" "" "" "(CPU $(best "${work}/kiln-warm-plain" cpu) s)"
printf '%-50s %13ss %13ss %8s  %s\n' "  same, ./kiln hash --context (vs ./kiln --version)" \
  "$(best "${work}/cli-warm" 1)" "$(best "${work}/cli-startup" 1)" "" \
  "(whole CLI, launcher's JVM flags)"
printf '%-50s %13ss %13ss %8s  %s\n' "+ ${module_files}-file ignored node_modules, cold" \
  "${with}" "${without}" "${modules_ratio}x" "<= 1.05x: $(verdict "${modules_ratio}" '<=' 1.05)"
with_cpu=$(best "${work}/kiln-with" cpu)
without_cpu=$(best "${work}/kiln-without" cpu)
printf '%-50s %13ss %13ss %8s  %s\n' "  same, CPU time (user + sys)" "${with_cpu}" \
  "${without_cpu}" "$(ratio "${with_cpu}" "${without_cpu}")x" "(less sensitive to neighbours)"
if [[ -s "${work}/strace-with" ]]; then
  printf '%-50s %14s %14s %8s  %s\n' "  same, stat + getdents calls (strace)" \
    "$(syscalls "${work}/strace-with")" "$(syscalls "${work}/strace-without")" "" \
    "pruned: never listed"
fi
printf '%-50s %14s %14s %8s  %s\n' "peak RSS hashing the ${big_mib} MiB file (worst run)" \
  "$((big_rss / 1024)) MiB" "" "" "streamed: far below the file size"
echo
if [[ "${plain_hash}" == "${modules_hash}" ]]; then
  echo "ignored node_modules leaves the hash unchanged: ${plain_hash}"
else
  echo "WARNING: node_modules changed the hash (${plain_hash} -> ${modules_hash})"
fi
echo "kiln's steps in its last run of each kind (peak-rss as the JVM saw it):"
for kind in big cold warm with; do
  printf '  %-5s %s\n' "${kind}" "$(grep '^entries=' "${work}/kiln-${kind}.steps" | tail -1)"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" \
  "(other processes on the machine slow every wall time)"
