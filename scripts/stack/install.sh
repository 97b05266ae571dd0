# shellcheck shell=bash
# `stack.sh install`: Debian packages and the BuildKit binaries. Sourced by stack.sh.

BUILDKIT_VERSION="${KILN_BUILDKIT_VERSION:-v0.32.2}"
BUILDKIT_MODULE="github.com/moby/buildkit"

install_all() {
  local started_at=${SECONDS}
  install_apt_packages
  kiln_log "install: packages present ($((SECONDS - started_at))s)"
  started_at=${SECONDS}
  install_buildkit
  kiln_log "install: buildkitd and buildctl ${BUILDKIT_VERSION} present ($((SECONDS - started_at))s)"
}

# Prints the Debian packages that are missing, one a line.
missing_apt_packages() {
  command -v runc >/dev/null || echo runc
  [[ -x /usr/bin/docker-registry ]] || echo docker-registry
  # busybox (dynamic) also installs /bin/busybox; only the static one runs in
  # a FROM scratch image.
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
    echo busybox-static
  postgres_bin_dir >/dev/null 2>&1 || echo postgresql
  command -v curl >/dev/null || echo curl
}

install_apt_packages() {
  local missing
  mapfile -t missing < <(missing_apt_packages)
  ((${#missing[@]} == 0)) && return 0
  ((EUID == 0)) || kiln_die "tried to install ${missing[*]} but this is not root;" \
    "run 'sudo scripts/stack.sh install' or install them with apt-get"
  kiln_log "install: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || kiln_die "tried to run apt-get update but it failed; check the apt sources"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    kiln_die "tried to apt-get install ${missing[*]} but it failed; see apt's output above"
}

# Prints the directory holding buildkitd and buildctl of the right version, or
# fails. Looks in $KILN_BUILDKIT_BIN_DIR, then Go's bin dir, then /root/go/bin.
buildkit_bin_dir() {
  local dir
  for dir in "${KILN_BUILDKIT_BIN_DIR:-}" "$(go_bin_dir 2>/dev/null)" /root/go/bin; do
    [[ -n "${dir}" ]] || continue
    buildkit_binary_ok "${dir}/buildkitd" buildkitd && buildkit_binary_ok "${dir}/buildctl" buildctl &&
      printf '%s\n' "${dir}" && return 0
  done
  return 1
}

# True when binary $1 (command $2) is BuildKit ${BUILDKIT_VERSION}: either its
# --version says so, or it was built from that module's source without a version
# stamp (its embedded source paths name the module version).
buildkit_binary_ok() {
  local binary="$1" name="$2"
  [[ -x "${binary}" ]] || return 1
  "${binary}" --version 2>/dev/null | grep -qF " ${BUILDKIT_VERSION} " && return 0
  grep -qaF "${BUILDKIT_MODULE}@${BUILDKIT_VERSION}/cmd/${name}" "${binary}"
}

go_bin_dir() {
  command -v go >/dev/null || return 1
  local gobin
  gobin="$(go env GOBIN)"
  [[ -n "${gobin}" ]] || gobin="$(go env GOPATH)/bin"
  printf '%s\n' "${gobin}"
}

# Builds buildkitd and buildctl from the module source. `go install pkg@version`
# refuses BuildKit because its go.mod has exclude directives, so download the
# module and build inside it.
install_buildkit() {
  local dir bindir module_dir
  if dir="$(buildkit_bin_dir)"; then
    kiln_log "install: BuildKit ${BUILDKIT_VERSION} found in ${dir}"
    return 0
  fi
  command -v go >/dev/null || kiln_die "tried to build BuildKit ${BUILDKIT_VERSION} but" \
    "no Go toolchain is on PATH; install Go (https://go.dev/dl) or put buildkitd and" \
    "buildctl ${BUILDKIT_VERSION} into \$KILN_BUILDKIT_BIN_DIR"
  bindir="${KILN_BUILDKIT_BIN_DIR:-$(go_bin_dir)}"
  mkdir -p "${bindir}"
  kiln_log "install: building buildkitd and buildctl ${BUILDKIT_VERSION} into ${bindir}" \
    "(one to two minutes on a cold Go cache)"
  module_dir="$(go mod download -json "${BUILDKIT_MODULE}@${BUILDKIT_VERSION}" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -n "${module_dir}" && -d "${module_dir}" ]] || kiln_die "tried to download" \
    "${BUILDKIT_MODULE}@${BUILDKIT_VERSION} but go mod download gave no directory; check" \
    "the Go module proxy (go env GOPROXY)"
  (cd "${module_dir}" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false" go build \
    -ldflags "-X ${BUILDKIT_MODULE}/version.Version=${BUILDKIT_VERSION}" \
    -o "${bindir}/" ./cmd/buildkitd ./cmd/buildctl) ||
    kiln_die "tried to build BuildKit ${BUILDKIT_VERSION} in ${module_dir} but go build" \
      "failed; see its output above"
  buildkit_bin_dir >/dev/null || kiln_die "built BuildKit into ${bindir} but the binaries" \
    "do not report ${BUILDKIT_VERSION}; set KILN_BUILDKIT_BIN_DIR to a directory holding them"
}
