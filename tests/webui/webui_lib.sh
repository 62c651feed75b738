#!/usr/bin/env bash
# Shared by the web UI tests: the e2e harness (router on loopback, free ports, cleanup) plus the
# browser tools, each required: a missing one fails the test rather than skipping it.
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
WEBUI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

require_browser_tools() {
  for tool in node chromium certutil; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup.sh installs it)"
  done
  [ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (Debian package chromium)"
  [ -d "${WEBUI_NODE_DIR:?set by CTest}/node_modules/playwright-core" ] ||
    fail "playwright-core is not installed in $WEBUI_NODE_DIR (run the 'webui: npm ci' test)"
}

# screenshots_dir NAME: a clean folder for this test's screenshots under the build tree.
screenshots_dir() {
  local dir="${WEBUI_OUT:?set by CTest}/screenshots/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "$dir"
}
