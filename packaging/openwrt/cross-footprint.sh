#!/usr/bin/env bash
# cross-footprint.sh ARCH: router-ca, device-enrol and the minimized Botan cross-built for a router
# CPU the way the feed builds them (packaging/openwrt/{botan,router-ca}/Makefile), stripped, and
# their sizes: the figures of docs/openwrt.md ("Size on flash") and docs/benchmarks.md.
#   ARCH: mipsel or armhf (any of cmake/toolchains/ works)
# Without the OpenWrt SDK: Debian's cross toolchain (glibc, GCC 12) and the sysroot of
# scripts/cross-test.sh; Botan 2.19.3 and cpp-httplib 0.11.4 from Debian's source packages
# (`apt-get source` through a private deb-src list), where the feed downloads Botan 2.19.5 and
# cpp-httplib 0.11.4 upstream. As in the feed: Botan configure.py --minimized-build with the
# feed's module list and --optimize-for-size; cpp-httplib header-only with OpenSSL, the feed's
# CVE patch applied; router-ca and device-enrol -Os with LTO and --gc-sections, Avahi on, libpsl
# off, -Werror off; then strip.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
arch=${1:?usage: cross-footprint.sh ARCH}
toolchain=$root/cmake/toolchains/$arch.cmake
[ -f "$toolchain" ] || { echo "no toolchain file $toolchain" >&2; exit 2; }
triplet=$(sed -n 's/^set(ROUTER_CA_CROSS_TRIPLET \(.*\))$/\1/p' "$toolchain")
processor=$(sed -n 's/^set(ROUTER_CA_CROSS_PROCESSOR \(.*\))$/\1/p' "$toolchain")

source scripts/lib/debian_packages.sh
install_debian_packages "crossbuild-essential-$arch" cmake make pkg-config python3 xz-utils dpkg-dev
source scripts/lib/cross_sysroot.sh
cross_sysroot "$arch" "$root/build-cross-$arch/sysroot"
sysroot=$root/build-cross-$arch/sysroot/root
work=$root/build-cross-$arch/feed
mkdir -p "$work/src"

# Debian's sources, through apt with a private state (no change to the host's sources).
apt_src=(apt-get -qq -o "Dir::Etc::SourceList=$work/src/sources.list" -o "Dir::Etc::SourceParts=$work/src"
  -o "Dir::State::Lists=$work/src/lists" -o "Dir::State::status=$work/src/status" -o Debug::NoLocking=1)
if ! compgen -G "$work/src/botan_*.orig.tar.xz" >/dev/null || ! compgen -G "$work/src/cpp-httplib_*.orig.tar.xz" >/dev/null; then
  mkdir -p "$work/src/lists/partial"
  : >"$work/src/status"
  echo "deb-src http://deb.debian.org/debian bookworm main" >"$work/src/sources.list"
  "${apt_src[@]}" update
  (cd "$work/src" && "${apt_src[@]}" source --download-only botan cpp-httplib)
fi

# Botan, as packaging/openwrt/botan/Makefile configures it, installed under /opt/feed in the
# sysroot so that pkg-config finds it before Debian's full library.
modules=$(sed -n '/^BOTAN_MODULES:=/,/^$/p' packaging/openwrt/botan/Makefile | sed '1s/.*:=//; s/\\//' |
  tr -s ' \t\n' ' ' | sed 's/^ //; s/ $//; s/ /,/g')
endian=little
[ "$arch" = s390x ] && endian=big
# Built again when the feed's module list changes.
if [ ! -f "$sysroot/opt/feed/lib/libbotan-2.so" ] || [ "$(cat "$work/botan-modules" 2>/dev/null)" != "$modules" ]; then
  rm -rf "$work/botan" && mkdir -p "$work/botan"
  tar -xf "$work"/src/botan_*.orig.tar.xz -C "$work/botan" --strip-components=1
  (cd "$work/botan" && python3 ./configure.py --cpu="$processor" --with-endian=$endian --os=linux \
    --cc=gcc --cc-bin="$triplet-g++" --ar-command="$triplet-ar" --prefix=/opt/feed \
    --minimized-build --enable-modules="$modules" --build-targets=shared --disable-static-library \
    --optimize-for-size --without-documentation --no-install-python-module \
    --compiler-cache=ccache >/dev/null)
  make -C "$work/botan" -j"$(nproc)" >/dev/null
  rm -rf "$sysroot/opt/feed/include/botan-2" "$sysroot"/opt/feed/lib/libbotan-2.*
  make -C "$work/botan" install DESTDIR="$sysroot" >/dev/null
  echo "$modules" >"$work/botan-modules"
fi

# cpp-httplib header-only, with the feed's patch and the feed's .pc file.
httplib=$sysroot/opt/feed/include/cpp-httplib
if [ ! -f "$httplib/httplib.h" ]; then
  mkdir -p "$httplib" "$sysroot/opt/feed/lib/pkgconfig"
  tar -xf "$work"/src/cpp-httplib_*.orig.tar.xz -C "$httplib" --strip-components=1 --wildcards '*/httplib.h'
  for p in packaging/openwrt/router-ca/httplib-patches/*.patch; do patch -s -d "$httplib" -p1 <"$p"; done
  printf '%s\n' 'Name: cpp-httplib' 'Description: cpp-httplib header-only, as the feed bundles it' \
    'Version: 0.11.4' 'Cflags: -I/opt/feed/include/cpp-httplib -DCPPHTTPLIB_OPENSSL_SUPPORT' \
    >"$sysroot/opt/feed/lib/pkgconfig/cpp-httplib.pc"
fi

# router-ca and device-enrol: OpenWrt's cmake.mk builds Release with the target's -Os;
# PKG_BUILD_FLAGS gc-sections and lto add these flags (include/package.mk). They go in the
# _RELEASE variables: setting CMAKE_CXX_FLAGS would replace the toolchain file's sysroot flags.
build=$work/build
# A new configuration each time: flags given with -D stay in an old CMakeCache.txt.
rm -rf "$build"
PKG_CONFIG_PATH=$sysroot/opt/feed/lib/pkgconfig cmake -S . -B "$build" \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DROUTER_CA_SYSROOT="$sysroot" -DCMAKE_BUILD_TYPE=Release \
  "-DCMAKE_CXX_FLAGS_RELEASE=-Os -DNDEBUG -ffunction-sections -fdata-sections -flto=auto -fno-fat-lto-objects" \
  "-DCMAKE_EXE_LINKER_FLAGS_RELEASE=-flto=auto -fuse-linker-plugin -Wl,--gc-sections -L$sysroot/opt/feed/lib" \
  -DROUTER_CA_TESTS=OFF -DROUTER_CA_BENCH=OFF -DROUTER_CA_HQ=OFF -DROUTER_CA_WERROR=OFF -DROUTER_CA_AVAHI=ON \
  -DROUTER_CA_LIBPSL=OFF -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build" -j"$(nproc)" --target router-ca device-enrol >/dev/null

out=$work/stripped
mkdir -p "$out"
size_line() {
  printf '%-22s %9d B stripped (%5d KiB), %9d B gzip -9\n' "$1" "$(stat -c %s "$2")" \
    "$(( ($(stat -c %s "$2") + 1023) / 1024 ))" "$(gzip -9c "$2" | wc -c)"
}
echo "cross-footprint $arch ($triplet, $("$triplet-g++" -dumpversion), at $(git rev-parse --short HEAD)):"
for f in "$(find "$build" -type f -name router-ca | head -n 1)" "$(find "$build" -type f -name device-enrol | head -n 1)" \
  "$(readlink -f "$sysroot/opt/feed/lib/libbotan-2.so")"; do
  "$triplet-strip" -o "$out/$(basename "$f")" "$f"
  size_line "$(basename "$f")" "$out/$(basename "$f")"
done
echo "router-ca needs: $("$triplet-readelf" -d "$out/router-ca" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"

# The shared libraries router-ca pulls in, followed through their own NEEDED entries, as Debian
# builds them for ARCH: an upper bound for OpenWrt's packages of the same libraries, which are
# built -Os with fewer features. glibc's own libraries are left out (every image has a C library).
echo "its libraries as Debian builds them for $arch (an upper bound for OpenWrt's; glibc left out):"
# The feed's minimized Botan first: Debian's full one in the sysroot has the same soname.
lib_dirs=("$sysroot/opt/feed/lib" "$sysroot/usr/lib/$triplet" "$sysroot/lib/$triplet" "/usr/$triplet/lib")
declare -A seen=()
queue=("$out/router-ca")
total=0 total_gz=0
while [ ${#queue[@]} -gt 0 ]; do
  file=${queue[0]} queue=("${queue[@]:1}")
  for name in $("$triplet-readelf" -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    # glibc's own; and libsystemd, which Debian's libdbus links and OpenWrt's (no systemd) does not.
    case $name in libc.so* | libm.so* | libpthread.so* | libdl.so* | librt.so* | ld-* | ld.so* | libsystemd.so*) continue ;; esac
    [ -n "${seen[$name]:-}" ] && continue
    seen[$name]=1
    for dir in "${lib_dirs[@]}"; do
      [ -e "$dir/$name" ] || continue
      lib=$(readlink -f "$dir/$name")
      "$triplet-strip" -o "$out/$name" "$lib"
      case $name in libbotan-2.so*) ;; *) size_line "  $name" "$out/$name" ;; esac
      total=$((total + $(stat -c %s "$out/$name"))) total_gz=$((total_gz + $(gzip -9c "$out/$name" | wc -c)))
      queue+=("$out/$name")
      break
    done
  done
done
echo "  total with Botan: $(( (total + 1023) / 1024 )) KiB stripped, $(( (total_gz + 1023) / 1024 )) KiB gzip -9"
