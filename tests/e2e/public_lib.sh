#!/usr/bin/env bash
# Shared by the end-to-end tests of the HQ fallback (docs/hq.md): Pebble and hq from
# tests/hq/hq_lib.sh beside router-ca and device-enrol from lib.sh, in one WORK folder, with the
# devices on a LAN of network namespaces (lan_lib.sh: HQ publishes only private addresses, and a
# device's address is its connection's source).
# Environment (set by CTest): ROUTER_CA, DEVICE_ENROL and HQ.
source "$(dirname "${BASH_SOURCE[0]}")/lan_lib.sh"  # first: the test runs again in its own namespace
source "$(dirname "${BASH_SOURCE[0]}")/../hq/hq_lib.sh"  # start_pebble_for_hq, start_hq, verify_public_chain
hq_work=$WORK
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # start_router, rca, api, enrol_device, verify_chain
rmdir "$hq_work" 2>/dev/null || true
lan_up

# public_member KEY...: a member of `router-ca status --json`'s "public" part, further KEYs naming
# nested members ("router_certificate state"); "" when absent.
public_member() {
  rca status --json >"$WORK/status.json" 2>/dev/null || return 1
  python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))["public"]
for key in sys.argv[2:]:
    v = v.get(key, "") if isinstance(v, dict) else ""
print(v)' "$WORK/status.json" "$@"
}

# hq_link_args [ROUTER_ID]: the router's options for the HQ link in the array HQ_LINK_ARGS:
# --hq-url and the file of a genuine router's factory credential (make_router_credential, default
# router-1), which HQ needs to register the home.
hq_link_args() {
  make_router_credential "${1:-router-1}"
  HQ_LINK_ARGS=(--hq-url "$HQ_URL" --hq-credential-file "$ROUTER_CREDENTIAL_FILE")
}

# wait_registered SECONDS: until router-ca's status says its home is registered at HQ; sets
# HOME_NAME and HOME_ZONE.
wait_registered() {
  local state
  for _ in $(seq 1 $(($1 * 5))); do
    state=$(public_member state || true)
    if [ "$state" = registered ]; then
      HOME_ZONE=$(public_member zone)
      HOME_NAME=$(public_member home)
      return 0
    fi
    sleep 0.2
  done
  fail "the router did not register at HQ within $1 s: $(cat "$WORK/status.json" 2>/dev/null)"
}
