#!/usr/bin/env bash
# The .ipk files packaging/openwrt/build-ipk.sh makes (from the CMake build's router-ca, to keep
# CI fast): the outer archive's members and their order, the control fields, Installed-Size as
# ipkg-build computes it, conffiles and keep.d, the maintainer scripts, every path and mode, and
# no key material readable by others.
source "$(dirname "$0")/lib.sh"
: "${ROUTER_CA:?set ROUTER_CA to the router-ca binary}"

bash "$OPENWRT/build-ipk.sh" --router-ca "$ROUTER_CA" --out "$WORK/out" >"$WORK/build.log" 2>&1 ||
  fail "build-ipk.sh: $(tail -n 5 "$WORK/build.log")"
ARCH=$(uname -m)
VERSION="$(sed -n 's/^PKG_VERSION:=//p' "$OPENWRT/router-ca/Makefile")-$(sed -n 's/^PKG_RELEASE:=//p' "$OPENWRT/router-ca/Makefile")"
IPK="$WORK/out/router-ca_${VERSION}_${ARCH}.ipk"
LUCI="$WORK/out/luci-app-router-ca_${VERSION}_all.ipk"
[ -f "$IPK" ] && [ -f "$LUCI" ] || fail "expected $(basename "$IPK") and $(basename "$LUCI"): $(ls "$WORK/out")"
ok "built $(basename "$IPK") ($(stat -c %s "$IPK") bytes) and $(basename "$LUCI")"

# unpack IPK DIR: the outer gzipped tar, then its two inner ones.
unpack() {
  mkdir -p "$2/outer" "$2/data" "$2/control"
  gzip -t "$1" || fail "$1 is not gzip-compressed"
  tar -xzf "$1" -C "$2/outer"
  tar -xzf "$2/outer/data.tar.gz" -C "$2/data"
  tar -xzf "$2/outer/control.tar.gz" -C "$2/control"
}
field() { sed -n "s/^$1: //p" "$2/control/control"; }

for ipk in "$IPK" "$LUCI"; do
  members=$(tar -tzf "$ipk" | tr '\n' ' ')
  [ "$members" = "./debian-binary ./data.tar.gz ./control.tar.gz " ] ||
    fail "$(basename "$ipk") members: '$members'"
  owners=$(tar -tvzf "$ipk" | awk '{ print $2 }' | sort -u | tr '\n' ' ')
  [ "$owners" = "0/0 " ] || fail "outer members not owned by 0/0: $owners"
done
ok "outer archives: ./debian-binary, ./data.tar.gz, ./control.tar.gz in that order, owned 0/0"

unpack "$IPK" "$WORK/rca"
[ "$(cat "$WORK/rca/outer/debian-binary")" = "2.0" ] || fail "debian-binary is not 2.0"
for inner in data control; do
  bad=$(tar -tvzf "$WORK/rca/outer/$inner.tar.gz" | awk '$2 != "0/0"')
  [ -z "$bad" ] || fail "$inner.tar.gz has entries not owned by root: $bad"
  tar -tzf "$WORK/rca/outer/$inner.tar.gz" | grep -qvx '\./.*' && fail "$inner.tar.gz names outside ./"
done
ok "debian-binary 2.0; data and control entries are ./-relative and owned 0/0 (numeric)"

C="$WORK/rca"
[ "$(field Package "$C")" = router-ca ] || fail "Package: $(field Package "$C")"
[ "$(field Version "$C")" = "$VERSION" ] || fail "Version: $(field Version "$C")"
[ "$(field Architecture "$C")" = "$ARCH" ] || fail "Architecture: $(field Architecture "$C")"
deps=$(field Depends "$C")
for dep in libc libstdcpp6 libatomic1 libsqlite3-0 libopenssl3 libldns libqrencode botan libavahi-client; do
  case ", $deps, " in *", $dep, "*) ;; *) fail "Depends lacks $dep: $deps" ;; esac
done
for f in Source SourceName License Section Maintainer Description; do
  [ -n "$(field "$f" "$C")" ] || fail "control has no $f field"
done
order=$(sed -n 's/^\([A-Za-z-]*\):.*/\1/p' "$C/control/control" | tr '\n' ' ')
[ "$order" = "Package Version Depends Source SourceName License Section SourceDateEpoch Maintainer Architecture Installed-Size Description " ] ||
  fail "control fields in an order package-pack.mk does not write: $order"
ok "control: Package router-ca, Version $VERSION, Architecture $ARCH, Depends $deps"
size=$(zcat <"$C/outer/data.tar.gz" | wc -c)
[ "$(field Installed-Size "$C")" = "$size" ] || fail "Installed-Size $(field Installed-Size "$C") != $size"
ok "Installed-Size $size = the bytes of the uncompressed data tar (ipkg-build's measure)"

[ "$(cat "$C/control/conffiles")" = "/etc/config/router-ca" ] || fail "conffiles: $(cat "$C/control/conffiles")"
[ "$(cat "$C/data/lib/upgrade/keep.d/router-ca")" = "/etc/router-ca/" ] ||
  fail "keep.d: $(cat "$C/data/lib/upgrade/keep.d/router-ca")"
ok "conffiles lists /etc/config/router-ca; /etc/router-ca/ is kept across sysupgrade via keep.d"

grep -q '^default_postinst \$0 \$@$' "$C/control/postinst" || fail "postinst does not call default_postinst"
grep -q '^default_prerm \$0 \$@$' "$C/control/prerm" || fail "prerm does not call default_prerm"
grep -qx '/usr/libexec/router-ca/dnsmasq-unforward' "$C/control/prerm-pkg" || fail "prerm-pkg does not unforward"
grep -qx '/usr/libexec/router-ca/cert-keeper restore' "$C/control/prerm-pkg" || fail "prerm-pkg does not restore uhttpd"
ok "postinst/prerm call default_postinst/default_prerm (which run /etc/uci-defaults/89-router-ca-lan-subnet and 90-router-ca, and prerm-pkg: dnsmasq-unforward, cert-keeper restore)"

# mode PATH: the entry's mode in data.tar.gz, as ls shows it.
modes=$(tar -tvzf "$C/outer/data.tar.gz" | awk '{ print $1, $6 }')
mode() { awk -v p="./$1" '$2 == p { print $1 }' <<<"$modes"; }
while read -r path want; do
  got=$(mode "$path")
  [ "$got" = "$want" ] || fail "$path: mode '$got', expected $want"
done <<'EOF'
usr/sbin/router-ca -rwxr-xr-x
etc/init.d/router-ca -rwxr-xr-x
etc/config/router-ca -rw-------
etc/hotplug.d/button/50-router-ca -rwxr-xr-x
etc/uci-defaults/89-router-ca-lan-subnet -rwxr-xr-x
etc/uci-defaults/90-router-ca -rwxr-xr-x
usr/libexec/router-ca/dnsmasq-forward -rwxr-xr-x
usr/libexec/router-ca/dnsmasq-unforward -rwxr-xr-x
usr/libexec/router-ca/cert-keeper -rwxr-xr-x
lib/upgrade/keep.d/router-ca -rw-r--r--
EOF
files=$(awk '$1 !~ /^d/ { print $2 }' <<<"$modes" | sort | tr '\n' ' ')
[ "$files" = "./etc/config/router-ca ./etc/hotplug.d/button/50-router-ca ./etc/init.d/router-ca ./etc/uci-defaults/89-router-ca-lan-subnet ./etc/uci-defaults/90-router-ca ./lib/upgrade/keep.d/router-ca ./usr/libexec/router-ca/cert-keeper ./usr/libexec/router-ca/dnsmasq-forward ./usr/libexec/router-ca/dnsmasq-unforward ./usr/sbin/router-ca " ] ||
  fail "unexpected files: $files"
ok "paths and modes: /usr/sbin 0755, /etc/init.d 0755, /etc/config 0600, /etc/hotplug.d/button 0755, /etc/uci-defaults 0755, helpers 0755"
[ -z "$(awk '$1 ~ /^d/ && $1 != "drwxr-xr-x"' <<<"$modes")" ] || fail "a directory is not 0755"
# No key material in the package at all; the CA's keys are made 0600 in /etc/router-ca (0700)
# by the daemon at its first start.
keys=$(awk '$2 ~ /(key|\.pem|\.crt|\.db)$/ || $2 ~ /^\.\/etc\/router-ca/ { print $2 }' <<<"$modes")
[ -z "$keys" ] || fail "the package ships key material or state: $keys"
world=$(awk '$1 !~ /^d/ && substr($1, 8, 1) == "r" && ($2 ~ /config/) { print $2 }' <<<"$modes")
[ -z "$world" ] || fail "world-readable config: $world"
ok "no key, certificate or database in the package, nothing under /etc/router-ca; config not world-readable"
! readelf -S "$C/data/usr/sbin/router-ca" | grep -q '\.symtab' || fail "router-ca is not stripped (has .symtab)"
ok "router-ca is stripped ($(stat -c %s "$C/data/usr/sbin/router-ca") bytes)"

unpack "$LUCI" "$WORK/luci"
L="$WORK/luci"
[ "$(field Package "$L")" = luci-app-router-ca ] && [ "$(field Architecture "$L")" = all ] ||
  fail "luci control: $(cat "$L/control/control")"
case "$(field Depends "$L")" in *router-ca*luci-base*) ;; *) fail "luci Depends: $(field Depends "$L")" ;; esac
[ "$(field Installed-Size "$L")" = "$(zcat <"$L/outer/data.tar.gz" | wc -c)" ] || fail "luci Installed-Size"
lmodes=$(tar -tvzf "$L/outer/data.tar.gz" | awk '$1 !~ /^d/ { print $1, $6 }' | sort -k2)
[ "$lmodes" = "-rw-r--r-- ./usr/share/luci/menu.d/luci-app-router-ca.json
-rw-r--r-- ./usr/share/rpcd/acl.d/luci-app-router-ca.json
-rw-r--r-- ./www/luci-static/resources/view/router-ca/status.js" ] || fail "luci files: $lmodes"
ok "luci-app-router-ca: menu.d, rpcd acl.d and the view under /www, 0644, Depends router-ca and luci-base"
python3 - "$L/data" <<'PY' || fail "LuCI JSON"
import json, sys
root = sys.argv[1]
acl = json.load(open(root + "/usr/share/rpcd/acl.d/luci-app-router-ca.json"))["luci-app-router-ca"]
assert "write" not in acl, "the ACL grants writes"
files = acl["read"]["file"]
execs = [k for k, v in files.items() if "exec" in v]
assert execs == ["/usr/sbin/router-ca status --json --data-dir /etc/router-ca"], execs
menu = json.load(open(root + "/usr/share/luci/menu.d/luci-app-router-ca.json"))["admin/services/router-ca"]
assert menu["action"] == {"type": "view", "path": "router-ca/status"}, menu
view = open(root + "/www/luci-static/resources/view/router-ca/status.js").read()
assert "fs.exec(ROUTER_CA, STATUS_ARGS)" in view and "'status', '--json', '--data-dir', '/etc/router-ca'" in view
PY
ok "ACL: read-only, exec of exactly 'router-ca status --json --data-dir /etc/router-ca'; the menu opens the view, which runs it"
finish
