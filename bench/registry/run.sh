#!/usr/bin/env bash
# Benchmarks the registry-service: Exists and Retag p50/p99 through its gRPC API
# beside a bare java.net.http loop making the same registry calls, against a
# private docker-registry on a free loopback port that the harness starts and
# stops itself. Bounded: iteration counts and a wall-clock budget.
#
#   bench/registry/run.sh [EXISTS_ITERATIONS] [RETAG_ITERATIONS] [BUDGET_SECONDS]
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/lib.sh"
kiln_use_java
cd "${KILN_REPO}"

[[ -x /usr/bin/docker-registry ]] ||
  kiln_die "/usr/bin/docker-registry is missing; run scripts/stack.sh install first"

kiln_log "building registry-service and the benchmark"
./mvnw -B -q -pl registry-service -am install -DskipTests
./mvnw -B -q -f bench/registry/pom.xml package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt

kiln_log "running (exists=${1:-3000} retag=${2:-1000} budget=${3:-240}s)"
classpath="bench/registry/target/classes:$(cat bench/registry/target/classpath.txt)"
java --enable-native-access=ALL-UNNAMED -Xms256m -Xmx512m \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "${classpath}" dev.kiln.bench.registry.RegistryBenchmark "${1:-3000}" "${2:-1000}" "${3:-240}"
