#!/usr/bin/env bash
# install_debian_packages PACKAGE...: installs from Debian the packages not installed yet
# (idempotent: packages already present cost one dpkg query). Used by scripts/setup.sh and
# scripts/cross-test.sh.
install_debian_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all $# packages present"
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  # Debian's postgresql package would create and start a system cluster on port 5432; the tests
  # start their own, so say no before it is installed (postgresql-common reads create_main_cluster
  # from this file; UCF_FORCE_CONFFOLD keeps our copy when the package installs its own).
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    $sudo mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  # pdns-server's postinst would enable and start a system PowerDNS on port 53 (with no backend),
  # which the tests neither use nor want beside their own: mask its unit first, where systemd runs.
  if [ -d /run/systemd/system ] && ! dpkg-query -W -f='${Status}' pdns-server 2>/dev/null | grep -q "install ok installed"; then
    $sudo systemctl mask pdns.service >/dev/null 2>&1 || true
  fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
}
