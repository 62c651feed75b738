// Launches Debian's chromium through playwright-core: never a downloaded browser, a fresh profile,
// no network beyond what the test maps to 127.0.0.1.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require(path.join(process.env.WEBUI_NODE_DIR, 'node_modules', 'playwright-core'));

const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// opts: { ignoreHTTPSErrors, home (HOME for the browser: where ~/.pki/nssdb is), args, proxy }
async function launch(opts = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rca-chromium-'));
  const env = { ...process.env };
  if (opts.home) env.HOME = opts.home;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: BASE_ARGS.concat(opts.args || []),
    env,
    ignoreHTTPSErrors: !!opts.ignoreHTTPSErrors,
    acceptDownloads: true,
    proxy: opts.proxy,
    viewport: { width: 1100, height: 800 },
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

let checks = 0;
function ok(text) { checks += 1; console.log('ok ' + checks + ' - ' + text); }
function fail(text) { throw new Error(text); }

module.exports = { launch, ok, fail };
