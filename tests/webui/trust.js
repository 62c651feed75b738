// Chromium's verdicts for trust_test.sh. HTTPS errors are never ignored here.
'use strict';
const path = require('path');
const { launch, ok, fail } = require('./browser');

const RULES = '--host-resolver-rules=MAP *.home.arpa 127.0.0.1, MAP www.example.com 127.0.0.1';

// Opens url; returns the net error (e.g. "net::ERR_CERT_AUTHORITY_INVALID") or "" when it loads.
async function visit(context, url, shotName) {
  const page = await context.newPage();
  try {
    const res = await page.goto(url, { timeout: 20000 });
    if (!res || !res.ok()) fail(url + ' answered ' + (res && res.status()));
    if (shotName) await page.screenshot({ path: path.join(process.env.SHOTS, shotName + '.png') });
    return '';
  } catch (e) {
    const m = /net::ERR_[A-Z_]+/.exec(e.message);
    if (!m) throw e;
    return m[0];
  } finally {
    await page.close();
  }
}

function certError(error, url) {
  if (!/^net::ERR_CERT_/.test(error)) fail(url + ': expected a certificate error, got "' + error + '"');
  // A name mismatch would mean the test served the wrong certificate, not that the root refused.
  if (error === 'net::ERR_CERT_COMMON_NAME_INVALID') fail(url + ': name mismatch, not a constraint');
}

(async () => {
  const withRoot = await launch({ home: process.env.HOME_WITH, args: [RULES] });
  try {
    const device = await visit(withRoot.context, process.env.DEVICE_URL, 'device-with-root');
    if (device) fail('the device page failed with the root installed: ' + device);
    ok('with the root: ' + process.env.DEVICE_URL + ' loads with no certificate error');
    const control = await visit(withRoot.context, process.env.CONTROL_URL);
    if (control) fail('an openssl-made leaf inside the constraints failed: ' + control);
    ok('with the root: ' + process.env.CONTROL_URL + ' (openssl-made leaf, inside the constraints) loads');
    const example = await visit(withRoot.context, process.env.EXAMPLE_URL);
    certError(example, process.env.EXAMPLE_URL);
    ok('with the root: ' + process.env.EXAMPLE_URL + ' signed by the intermediate fails: ' + example);
    // A home name the constraints allow, beside an e-mail address or URI they do not.
    for (const [url, what] of [[process.env.EMAIL_URL, 'email:ceo@bank.example'],
      [process.env.URI_URL, 'URI:https://www.bank.example/']]) {
      const error = await visit(withRoot.context, url);
      certError(error, url);
      ok('with the root: ' + url + ' (its leaf also names ' + what + ') fails: ' + error);
    }
  } finally {
    await withRoot.close();
  }

  // 8.8.8.8 and 2001:db8::1 are IP literals: reached through the loopback CONNECT proxy, never
  // the network.
  const viaProxy = await launch({ home: process.env.HOME_WITH, proxy: { server: process.env.PROXY } });
  try {
    for (const url of [process.env.IP_URL, process.env.IPV6_URL]) {
      const ip = await visit(viaProxy.context, url);
      certError(ip, url);
      ok('with the root: ' + url + ' signed by the intermediate fails: ' + ip);
    }
  } finally {
    await viaProxy.close();
  }

  const withoutRoot = await launch({ home: process.env.HOME_WITHOUT, args: [RULES] });
  try {
    const device = await visit(withoutRoot.context, process.env.DEVICE_URL);
    certError(device, process.env.DEVICE_URL);
    ok('without the root: ' + process.env.DEVICE_URL + ' fails: ' + device);
  } finally {
    await withoutRoot.close();
  }
})().catch((e) => { console.error('FAIL: ' + e.message); process.exit(1); });
