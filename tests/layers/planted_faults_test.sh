#!/usr/bin/env bash
# scripts/check_layers.py must fail, naming the fault, on a copy of the sources with one fault
# planted at a time; and pass on the unchanged copy (so a failure is the plant's, not the copy's).
# usage: planted_faults_test.sh SOURCE_DIR
set -euo pipefail
SRC=${1:?usage: planted_faults_test.sh SOURCE_DIR}
CHECK="$SRC/scripts/check_layers.py"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0

fresh_copy() {
  rm -rf "$WORK/tree"
  mkdir -p "$WORK/tree"
  for d in router-ca device-enrol hq; do cp -r "$SRC/$d" "$WORK/tree/$d"; done
}

# expect_finding NAME PATTERN: the checker exits 1 and prints a line matching PATTERN.
expect_finding() {
  local name=$1 pattern=$2 rc=0
  python3 "$CHECK" --root "$WORK/tree" >"$WORK/out" 2>&1 || rc=$?
  if [ "$rc" -eq 1 ] && grep -Eq "$pattern" "$WORK/out"; then
    echo "ok: $name: $(grep -E "$pattern" "$WORK/out" | head -1)"
  else
    echo "FAIL: $name: exit $rc, no line matching /$pattern/ in:"
    cat "$WORK/out"
    failures=$((failures + 1))
  fi
}

fresh_copy
if python3 "$CHECK" --root "$WORK/tree"; then echo "ok: the unchanged copy passes"; else
  echo "FAIL: the unchanged copy does not pass"; exit 1
fi

# (a) the pure core reaching up to the daemon.
fresh_copy
printf '#include "daemon/serve.hpp"\n' >>"$WORK/tree/router-ca/core/ipv4.hpp"
expect_finding "back import" '^router-ca/core/ipv4\.hpp:[0-9]+: includes router-ca/daemon/serve\.hpp: router-ca/core \(floor 2\) reaches up to router-ca/daemon'

# (b) two folders of one floor including each other.
fresh_copy
printf '#include "mdns/host_plan.hpp"\n' >>"$WORK/tree/router-ca/dns/wire_name.hpp"
printf '#include "dns/wire_name.hpp"\n' >>"$WORK/tree/router-ca/mdns/host_plan.hpp"
expect_finding "circle" '^circle between router-ca/dns, router-ca/mdns: '

# (c) a socket header in the ACME service, a file header in the core.
fresh_copy
printf '#include <sys/socket.h>\n' >>"$WORK/tree/router-ca/acme/order_state.hpp"
expect_finding "socket header in acme" '^router-ca/acme/order_state\.hpp:[0-9]+: I/O header <sys/socket\.h>'
fresh_copy
printf '#include <fstream>\n' >>"$WORK/tree/router-ca/core/zone.cpp"
expect_finding "file header in core" '^router-ca/core/zone\.cpp:[0-9]+: I/O header <fstream>'

# (d) a new folder that was given no floor.
fresh_copy
mkdir "$WORK/tree/router-ca/gadget"
printf '#include "core/ipv4.hpp"\n' >"$WORK/tree/router-ca/gadget/gadget.cpp"
expect_finding "unplaced folder" '^router-ca/gadget: holds source but has no floor'

[ "$failures" -eq 0 ] || { echo "$failures planted fault(s) not caught"; exit 1; }
echo "every planted fault was caught"
