#!/usr/bin/env bash
# Installs playwright-core (the library only: it never downloads a browser) from the committed
# package-lock.json into the build folder, so the source tree stays clean.
set -euo pipefail
: "${WEBUI_NODE_DIR:?set by CTest}"
command -v npm >/dev/null || { echo "FAIL: npm is not installed (scripts/setup.sh installs it)"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WEBUI_NODE_DIR"
cp "$here/package.json" "$here/package-lock.json" "$WEBUI_NODE_DIR/"
cd "$WEBUI_NODE_DIR"
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: belt and braces; playwright-core has no install script.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
node -e 'require(process.argv[1] + "/node_modules/playwright-core"); console.log("ok - playwright-core", require(process.argv[1] + "/node_modules/playwright-core/package.json").version)' "$WEBUI_NODE_DIR"
