#!/usr/bin/env bash
# build-ipk.sh: builds router-ca's OpenWrt packages from this tree without the OpenWrt SDK, for
# this machine's architecture, laid out as OpenWrt's scripts/ipkg-build lays them out, so that the
# package's contents, control data and scripts can be tested here (tests/packaging/).
#
#   packaging/openwrt/build-ipk.sh [--router-ca BINARY] [--build-dir DIR] [--out DIR]
#
# Without --router-ca it builds router-ca itself the way the feed does (-Os, LTO, gc-sections;
# no tests, no benchmarks) in --build-dir (default build-pkg/ipk-build) against this machine's
# libraries. Either way the binary is stripped. Writes, in --out (default build-pkg):
#   router-ca_<version>_<arch>.ipk          the daemon, its procd service, UCI config, button
#                                           handler, uci-defaults and helpers
#   luci-app-router-ca_<version>_all.ipk    the LuCI status page
# Version, description, conffiles and the prerm script are read from the feed Makefiles, so the
# two builds cannot drift apart. What differs from the SDK's build: the libraries it links (Debian's
# here: the split libcpp-httplib.so instead of the bundled header, Debian's full Botan), and the
# architecture name (uname -m, which is OpenWrt's name on x86_64 only).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BINARY=""
BUILD_DIR="$ROOT/build-pkg/ipk-build"
OUT="$ROOT/build-pkg"

while [ $# -gt 0 ]; do
  case "$1" in
    --router-ca) BINARY=$2; shift 2 ;;
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "build-ipk: unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in tar gzip strip cmake; do
  command -v "$tool" >/dev/null || { echo "build-ipk: $tool is not installed (scripts/setup.sh)" >&2; exit 1; }
done

FEED="$HERE/router-ca/Makefile"
LUCI_DIR="$HERE/luci-app-router-ca"

# make_var NAME FILE: the value of a simple `NAME:=value` line.
make_var() { sed -n "s/^$1:=//p" "$2" | head -n 1; }
# make_define NAME FILE: the body of `define NAME` ... `endef`, with make's $$ turned into $.
make_define() {
  awk -v name="$1" '$0 == "define " name { on = 1; next } on && $0 == "endef" { exit } on' "$2" |
    sed 's/\$\$/$/g'
}

VERSION="$(make_var PKG_VERSION "$FEED")-$(make_var PKG_RELEASE "$FEED")"
ARCH=$(uname -m)
MAINTAINER=$(make_var PKG_MAINTAINER "$FEED")
LICENSE=$(make_var PKG_LICENSE "$FEED")
# As ipkg-build does: the commit's time when there is one, for reproducible archives.
EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}

# The SDK writes DEPENDS with each library's ABI suffix (OpenWrt 24.10) and libc first; the
# optional +ROUTER_CA_MDNS:libavahi-client is in, as the menu's default is y.
abi_name() {
  case "$1" in
    libstdcpp) echo libstdcpp6 ;;
    libatomic) echo libatomic1 ;;
    libsqlite3) echo libsqlite3-0 ;;
    libopenssl) echo libopenssl3 ;;
    *) echo "$1" ;;
  esac
}
depends() {
  local out="libc" dep
  for dep in $(awk '/^define Package\/router-ca$/ { on = 1 } on && /DEPENDS:=/ { sub(/.*DEPENDS:=/, ""); print; exit }' "$FEED"); do
    dep=${dep#+}
    dep=${dep##*:}
    out="$out, $(abi_name "$dep")"
  done
  echo "$out"
}

build_binary() {
  local flags="-flto=auto -ffunction-sections -fdata-sections"
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=MinSizeRel \
    -DROUTER_CA_TESTS=OFF -DROUTER_CA_BENCH=OFF -DROUTER_CA_LIBPSL=OFF \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-flto=auto -Wl,--gc-sections" >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target router-ca >/dev/null
  BINARY="$BUILD_DIR/router-ca/cli/router-ca"
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/build-ipk.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# tar_gz DIR OUT [MEMBERS...]: a gzipped GNU tar as ipkg-build makes it: numeric owner root,
# names sorted, fixed mtime, no gzip timestamp.
tar_gz() {
  local dir=$1 out=$2; shift 2
  tar -C "$dir" --format=gnu --numeric-owner --owner=0 --group=0 --sort=name \
    --mtime="@$EPOCH" -cf - "$@" | gzip -n -9 >"$out"
}

# ipkg_build PKGDIR CONTROLDIR: writes ${Package}_${Version}_${Architecture}.ipk into OUT.
ipkg_build() {
  local pkg_dir=$1 control=$2 name version arch tmp
  name=$(sed -n 's/^Package: //p' "$control/control")
  version=$(sed -n 's/^Version: //p' "$control/control")
  arch=$(sed -n 's/^Architecture: //p' "$control/control")
  tmp="$WORK/ipk-$name"
  mkdir -p "$tmp"
  # conffiles: only entries that are files in the package, sorted (a directory such as
  # /etc/router-ca/ is kept across sysupgrade through /lib/upgrade/keep.d instead).
  if [ -f "$control/conffiles" ]; then
    local cf
    while read -r cf; do
      if [ -n "$cf" ] && [ -f "$pkg_dir$cf" ]; then echo "$cf"; fi
    done <"$control/conffiles" | LC_ALL=C sort >"$control/conffiles.resolved"
    mv "$control/conffiles.resolved" "$control/conffiles"
    [ -s "$control/conffiles" ] || rm "$control/conffiles"
    if [ -f "$control/conffiles" ]; then chmod 0644 "$control/conffiles"; fi
  fi
  tar_gz "$pkg_dir" "$tmp/data.tar.gz" .
  # Installed-Size as ipkg-build computes it: the bytes of the uncompressed data tar.
  sed -i "s/^Installed-Size: .*/Installed-Size: $(zcat <"$tmp/data.tar.gz" | wc -c)/" "$control/control"
  tar_gz "$control" "$tmp/control.tar.gz" .
  echo "2.0" >"$tmp/debian-binary"
  mkdir -p "$OUT"
  tar_gz "$tmp" "$OUT/${name}_${version}_${arch}.ipk" ./debian-binary ./data.tar.gz ./control.tar.gz
  echo "$OUT/${name}_${version}_${arch}.ipk"
}

# write_control DIR PACKAGE ARCH DEPENDS SECTION SOURCE DESCRIPTION-FILE: control, postinst and
# prerm as package-pack.mk writes them (the package's own scripts go to postinst-pkg/prerm-pkg,
# which default_postinst/default_prerm from /lib/functions.sh run).
write_control() {
  local dir=$1 package=$2 arch=$3 deps=$4 section=$5 source=$6 description=$7
  mkdir -p "$dir"
  {
    echo "Package: $package"
    echo "Version: $VERSION"
    echo "Depends: $deps"
    echo "Source: $source"
    echo "SourceName: $package"
    echo "License: $LICENSE"
    echo "Section: $section"
    echo "SourceDateEpoch: $EPOCH"
    echo "Maintainer: $MAINTAINER"
    echo "Architecture: $arch"
    echo "Installed-Size: 0"
    printf 'Description: '
    sed -e 's,^[[:space:]]*, ,g' "$description"
  } >"$dir/control"
  chmod 0644 "$dir/control"
  printf '%s\n' '#!/bin/sh' '[ "${IPKG_NO_SCRIPT}" = "1" ] && exit 0' \
    '[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0' '. ${IPKG_INSTROOT}/lib/functions.sh' \
    'default_postinst $0 $@' >"$dir/postinst"
  printf '%s\n' '#!/bin/sh' '[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0' \
    '. ${IPKG_INSTROOT}/lib/functions.sh' 'default_prerm $0 $@' >"$dir/prerm"
  chmod 0755 "$dir/postinst" "$dir/prerm"
}

# --- router-ca ------------------------------------------------------------------------------
[ -n "$BINARY" ] || build_binary
[ -x "$BINARY" ] || { echo "build-ipk: $BINARY is not an executable" >&2; exit 1; }
FILES="$HERE/router-ca/files"
P="$WORK/router-ca"
install -d -m 0755 "$P/usr/sbin" "$P/etc/init.d" "$P/etc/config" "$P/etc/hotplug.d/button" \
  "$P/etc/uci-defaults" "$P/usr/libexec/router-ca" "$P/lib/upgrade/keep.d"
strip -o "$P/usr/sbin/router-ca" "$BINARY"
chmod 0755 "$P/usr/sbin/router-ca"
install -m 0755 "$FILES/router-ca.init" "$P/etc/init.d/router-ca"
# INSTALL_CONF in the SDK is install -m0600.
install -m 0600 "$FILES/router-ca.config" "$P/etc/config/router-ca"
install -m 0755 "$FILES/router-ca.hotplug-button" "$P/etc/hotplug.d/button/50-router-ca"
install -m 0755 "$FILES/router-ca.lan-subnet" "$P/etc/uci-defaults/89-router-ca-lan-subnet"
install -m 0755 "$FILES/router-ca.uci-defaults" "$P/etc/uci-defaults/90-router-ca"
install -m 0755 "$FILES/router-ca.uci-defaults" "$P/usr/libexec/router-ca/dnsmasq-forward"
install -m 0755 "$FILES/dnsmasq-unforward" "$FILES/cert-keeper" "$P/usr/libexec/router-ca/"

C="$WORK/router-ca.CONTROL"
make_define Package/router-ca/description "$FEED" >"$WORK/router-ca.description"
write_control "$C" router-ca "$ARCH" "$(depends)" net feeds/routerca/router-ca "$WORK/router-ca.description"
make_define Package/router-ca/conffiles "$FEED" >"$C/conffiles"
make_define Package/router-ca/prerm "$FEED" >"$C/prerm-pkg"
chmod 0755 "$C/prerm-pkg"
# package-pack.mk: conffiles entries that are not files in the package (/etc/router-ca/) go to
# /lib/upgrade/keep.d/<package>, which sysupgrade reads.
while read -r keep; do
  if [ -n "$keep" ] && [ ! -f "$P$keep" ]; then echo "$keep"; fi
done <"$C/conffiles" >"$P/lib/upgrade/keep.d/router-ca"
chmod 0644 "$P/lib/upgrade/keep.d/router-ca"
ipkg_build "$P" "$C"

# --- luci-app-router-ca ---------------------------------------------------------------------
L="$WORK/luci-app-router-ca"
install -d -m 0755 "$L/www/luci-static/resources/view/router-ca" "$L/usr/share/luci/menu.d" \
  "$L/usr/share/rpcd/acl.d"
install -m 0644 "$LUCI_DIR/htdocs/luci-static/resources/view/router-ca/status.js" \
  "$L/www/luci-static/resources/view/router-ca/status.js"
install -m 0644 "$LUCI_DIR/root/usr/share/luci/menu.d/luci-app-router-ca.json" "$L/usr/share/luci/menu.d/"
install -m 0644 "$LUCI_DIR/root/usr/share/rpcd/acl.d/luci-app-router-ca.json" "$L/usr/share/rpcd/acl.d/"
LC="$WORK/luci.CONTROL"
sed -n 's/^LUCI_DESCRIPTION:=//p' "$LUCI_DIR/Makefile" >"$WORK/luci.description"
write_control "$LC" luci-app-router-ca all "libc, router-ca, luci-base" luci \
  feeds/routerca/luci-app-router-ca "$WORK/luci.description"
# luci.mk's postinst: rpcd reads ACL files at start, LuCI caches its menu.
printf '%s\n' '#!/bin/sh' '[ -n "${IPKG_INSTROOT}" ] || {' \
  '	rm -f /tmp/luci-indexcache.*' '	rm -rf /tmp/luci-modulecache/' \
  '	/etc/init.d/rpcd reload 2>/dev/null' '	exit 0' '}' >"$LC/postinst-pkg"
chmod 0755 "$LC/postinst-pkg"
ipkg_build "$L" "$LC"
