#!/usr/bin/env bash
# A home LAN with private (RFC 1918) device addresses, for tests whose devices need them: HQ
# publishes only RFC 1918 addresses (docs/hq.md), and the router takes a device's address from its
# connection (docs/security.md), so a device must really connect from 192.168.1.x.
#
#   this test's own network namespace            namespace "<tag>-lan" (the devices)
#   lo 127.0.0.1: Pebble, hq, router-ca, kdig    192.168.1.20-.79/24 on one veth end
#   veth 192.168.1.1/24 (the router's LAN) ===== device-enrol pair|renew|run|address|crl
#
# Source it first, before lib.sh or public_lib.sh: it runs the test again inside a network
# namespace of its own (unshare --net), so nothing it adds reaches the machine's own network. The
# router then listens on 0.0.0.0 and is reached at https://192.168.1.1:PORT (ROUTER_URL), and
# $DEVICE_ENROL becomes a wrapper that runs the commands that talk to the router in the devices'
# namespace, where `--ipv4 192.168.1.N` picks a device's address. Creating namespaces needs root
# (CAP_NET_ADMIN, CAP_SYS_ADMIN): without it the test FAILS loudly, as the mDNS tests do.
set -euo pipefail

if [ -z "${RCA_LAN_INSIDE:-}" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
    echo "FAIL: $(basename "$0") needs root, unshare and ip (iproute2) to build its LAN in network" \
      "namespaces; this is a failure, not a skip: the test did not run"
    exit 1
  fi
  RCA_LAN_INSIDE=1 exec unshare --net bash "$0" "$@"
fi
ip link set lo up

LAN_ROUTER_IP=192.168.1.1
# Every device address a test may use with --ipv4 (bench/public_cert_bench.sh pairs up to 50
# devices); the first is the kernel's default source.
mapfile -t LAN_DEVICE_IPS < <(seq -f '192.168.1.%g' 20 79)
# lib.sh's start_router: on every address of this namespace, reached at the router's LAN address.
# shellcheck disable=SC2034  # read by lib.sh
ROUTER_LISTEN_HOST=0.0.0.0
# shellcheck disable=SC2034  # read by lib.sh
ROUTER_HOST=$LAN_ROUTER_IP

# lan_up: the devices' namespace and the veth pair, and the $DEVICE_ENROL wrapper. Call it after
# lib.sh (it needs $WORK) and before the first start_router (the router names 192.168.1.1 in its
# certificate only if that address exists when it starts).
lan_up() {
  LAN_NETNS="rca$$-lan"
  ip netns add "$LAN_NETNS"
  trap 'lan_status=$?; ip netns del "$LAN_NETNS" 2>/dev/null || true; (exit $lan_status); harness_cleanup' EXIT
  ip link add "rca$$r" type veth peer name "rca$$d" netns "$LAN_NETNS"
  ip addr add "$LAN_ROUTER_IP/24" dev "rca$$r"
  ip link set "rca$$r" up
  local address
  for address in "${LAN_DEVICE_IPS[@]}"; do
    ip -n "$LAN_NETNS" addr add "$address/24" dev "rca$$d"
  done
  ip -n "$LAN_NETNS" link set lo up
  ip -n "$LAN_NETNS" link set "rca$$d" up
  local real=$DEVICE_ENROL
  DEVICE_ENROL="$WORK/device-enrol-on-lan"
  cat >"$DEVICE_ENROL" <<SH
#!/usr/bin/env bash
# device-enrol as a device on the LAN (tests/e2e/lan_lib.sh): what talks to the router runs in
# the devices' namespace; status and serve-demo (checked from the router's side) run here.
case "\${1:-}" in
  pair | renew | run | address | crl) exec ip netns exec "$LAN_NETNS" "$real" "\$@" ;;
  *) exec "$real" "\$@" ;;
esac
SH
  chmod +x "$DEVICE_ENROL"
  # A TCP connection to a closed port: "refused" proves the link works (no ping needed).
  local answer
  answer=$(ip netns exec "$LAN_NETNS" timeout 5 bash -c "exec 3<>/dev/tcp/$LAN_ROUTER_IP/9" 2>&1 || true)
  echo "$answer" | grep -qi refused || fail "the LAN's veth pair carries no traffic: $answer"
}
