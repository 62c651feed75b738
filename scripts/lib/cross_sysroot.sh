#!/usr/bin/env bash
# A sysroot of one Debian architecture's libraries for scripts/cross-test.sh: the -dev packages
# router-ca links against, with everything they depend on, downloaded by apt into a private state
# folder and unpacked with dpkg-deb. Used instead of multiarch (`dpkg --add-architecture`, then
# `apt-get install libssl-dev:s390x`) because multiarch needs the host's and the foreign package at
# the very same version: on a machine whose libssl-dev came from bookworm-security (or was
# installed from a snapshot) while the foreign architecture's comes from bookworm, apt refuses
# ("held broken packages"), and fixing that would up- or downgrade the host's own libraries.
# The sysroot changes nothing on the host and serves both the linker and qemu-user (-L).

# The -dev packages router-ca, device-enrol and the unit tests link against (scripts/setup.sh's
# libraries; libpq-dev only so that hq/ configures, it is not built) and Catch2, whose
# Catch2WithMain is a compiled library of the target architecture.
CROSS_SYSROOT_PACKAGES=(
  libbotan-2-dev libcpp-httplib-dev libssl-dev libsqlite3-dev libldns-dev libavahi-client-dev
  libpsl-dev libqrencode-dev libpq-dev nlohmann-json3-dev catch2
)
# Packages the cross toolchain (crossbuild-essential-ARCH) brings itself: their linker scripts
# (libc.so, libgcc_s.so) name absolute paths that only the toolchain's own copy gets right.
CROSS_SYSROOT_SKIP='^(libc6-dev|libstdc\+\+-[0-9]+-dev|libgcc-[0-9]+-dev|linux-libc-dev|libcrypt-dev|libnsl-dev|rpcsvc-proto|gcc-[0-9]+-base)_'

# cross_sysroot ARCH DIR: makes DIR/root, the sysroot of ARCH (a Debian architecture name), unless
# DIR/root/.complete says it is already made from the same package list.
cross_sysroot() {
  local arch=$1 dir
  dir=$(realpath -m "$2") # apt reads relative Dir:: paths as relative to /var
  local root=$dir/root state=$dir/apt stamp
  stamp="${CROSS_SYSROOT_PACKAGES[*]}"
  if [ -f "$root/.complete" ] && [ "$(cat "$root/.complete")" = "$stamp" ]; then
    echo "cross-test $arch: sysroot $root is ready"
    return 0
  fi
  rm -rf "$root"
  mkdir -p "$root" "$state/lists/partial" "$state/archives/partial"
  : >"$state/status"
  # apt with its own state and an empty dpkg status for ARCH alone: it resolves the whole
  # dependency closure and only downloads; the host's sources and proxy settings still apply.
  local apt=(apt-get -qq -o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status"
    -o "Dir::Cache::archives=$state/archives" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
    -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" -o "Debug::NoLocking=1")
  "${apt[@]}" update
  "${apt[@]}" install -y --download-only --no-install-recommends "${CROSS_SYSROOT_PACKAGES[@]}"
  local deb n=0
  compgen -G "$state/archives/*.deb" >/dev/null || { echo "cross-test $arch: apt downloaded nothing" >&2; return 1; }
  for deb in "$state"/archives/*.deb; do
    [[ "$(basename "$deb")" =~ $CROSS_SYSROOT_SKIP ]] && continue
    dpkg-deb -x "$deb" "$root"
    n=$((n + 1))
  done
  # Absolute symlinks (libfoo.so -> /lib/TRIPLET/libfoo.so.1) would point into the host: make them
  # point into the sysroot.
  local link target
  while IFS= read -r link; do
    target=$(readlink "$link")
    [ "${target#/}" != "$target" ] && ln -sfn "$root$target" "$link"
  done < <(find "$root" -type l)
  echo "$stamp" >"$root/.complete"
  echo "cross-test $arch: unpacked $n packages into $root"
}
