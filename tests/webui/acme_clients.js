// Drives the ACME clients page in Chromium (see acme_clients_test.sh): a waiting account is
// approved, an EAB key is made and lego uses the flags the page shows, the ACME device's name is
// released from the device list. HTTPS errors are ignored: trust_test.sh tests trust.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { launch, ok, fail } = require('./browser');

const url = process.env.ROUTER_URL;
const shots = process.env.SHOTS;
const accountId = process.env.ACCOUNT_ID;

async function shot(page, name) {
  const file = path.join(shots, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  console.log('# screenshot ' + file);
}

// Runs a program (no shell) and resolves with its exit code and output.
function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

const rca = (...args) => run(process.env.ROUTER_CA, [...args, '--data-dir', process.env.ROUTER_DIR]);

(async () => {
  const { context, close } = await launch({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15000);

    await page.goto(url + '/');
    await page.locator('#view-login').waitFor();
    await page.fill('#login-password', process.env.PASSWORD);
    await page.click('#login-submit');
    await page.locator('#view-dashboard').waitFor();
    ok('logged in');

    // The page lists the account lego made, waiting, with an Approve button.
    await page.click('a[data-nav="acme"]');
    await page.locator('#view-acme').waitFor();
    const row = page.locator('tr[data-account="' + accountId + '"]');
    await row.waitFor();
    const waiting = (await row.innerText()).replace(/\s+/g, ' ').trim();
    if (!waiting.includes('waiting')) fail('account ' + accountId + ' is not listed as waiting: ' + waiting);
    if (!waiting.includes('a@example.org')) fail('the account row lacks its contact: ' + waiting);
    ok('the ACME clients page lists the account as waiting: ' + waiting);
    const directory = await page.textContent('#acme-directory');
    if (directory !== url + '/acme/directory') fail('the directory URL is ' + directory);
    for (const hint of ['#acme-hint-lego', '#acme-hint-certbot'])
      if (!(await page.textContent(hint)).includes('--server ' + directory))
        fail(hint + ' does not name the directory: ' + (await page.textContent(hint)));
    ok('the page shows the directory ' + directory + ' with lego and certbot lines');
    await shot(page, '01-acme-waiting');

    // Approve: the row says admin, and so does the CLI.
    await row.locator('button[data-action="approve"]').click();
    await page.locator('#flash').filter({ hasText: 'Approved account ' + accountId }).waitFor();
    await row.locator('td', { hasText: /^admin/ }).waitFor();
    if (await row.locator('button[data-action="approve"]').count()) fail('an approved account keeps its Approve button');
    ok('Approve turns the row into admin, without an Approve button');
    const cli = await rca('acme', 'accounts');
    const line = cli.out.split('\n').find((l) => l.startsWith(accountId));
    if (cli.code !== 0 || !line || line.split(/\s+/)[1] !== 'admin')
      fail('router-ca acme accounts does not say admin: ' + cli.out);
    ok('router-ca acme accounts: ' + line.replace(/\s+/g, ' ').trim());

    // An account that asked in the same pairing window as another: overlap, approvable too.
    const overlap = page.locator('tr[data-account="' + process.env.OVERLAP_ID + '"]');
    const overlapText = (await overlap.innerText()).replace(/\s+/g, ' ').trim();
    if (!overlapText.includes('overlap')) fail('account ' + process.env.OVERLAP_ID + ' is not listed as overlap: ' + overlapText);
    await shot(page, '02-acme-overlap');
    await overlap.locator('button[data-action="approve"]').click();
    await overlap.locator('td', { hasText: /^admin/ }).waitFor();
    ok('an overlapping account (' + overlapText + ') is approved the same way');
    await shot(page, '03-acme-approved');

    // A new EAB key, shown with flags ready to paste.
    if (await page.locator('#acme-eab').isVisible()) fail('an EAB key shows before one was made');
    await page.click('#acme-eab-new');
    await page.locator('#eab-kid').filter({ hasText: /^eab-/ }).waitFor();
    const kid = await page.textContent('#eab-kid');
    const hmac = await page.textContent('#eab-hmac');
    if (!/^[A-Za-z0-9_-]{40,}$/.test(hmac)) fail('the HMAC key is not base64url: ' + hmac);
    const lego = await page.textContent('#eab-lego');
    const certbot = await page.textContent('#eab-certbot');
    if (lego !== '--eab --kid=' + kid + ' --hmac=' + hmac) fail('lego flags: ' + lego);
    if (certbot !== '--eab-kid=' + kid + ' --eab-hmac-key=' + hmac) fail('certbot flags: ' + certbot);
    if (!(await page.locator('#view-acme').textContent()).includes(kid)) fail('the key id is not on the page');
    ok('New EAB key shows key id ' + kid + ' with the lego and certbot flags');
    await shot(page, '04-acme-eab');
    fs.writeFileSync(path.join(process.env.WORK, 'eab.json'), JSON.stringify({ kid, hmac }));

    // lego takes the flags as the page shows them, and gets a certificate with no button.
    const legoDir = path.join(process.env.WORK, 'lego-eab');
    const issued = await run('timeout', ['60', 'lego', '--server', directory, '--email', 'b@example.org',
      '--accept-tos', '--domains', 'printer.home.arpa', '--http', '--http.port',
      '127.0.0.1:' + process.env.ACME_HTTP_PORT, '--path', legoDir, '--key-type', 'ec256',
      ...lego.split(' '), 'run'], { LEGO_CA_CERTIFICATES: path.join(process.env.ROUTER_DIR, 'ca', 'root.pem') });
    if (issued.code !== 0) fail('lego with the page\'s EAB flags failed: ' + issued.out);
    if (!fs.existsSync(path.join(legoDir, 'certificates', 'printer.home.arpa.crt'))) fail('lego saved no certificate');
    ok('lego ' + lego.replace(hmac, '<hmac>') + ' gets printer.home.arpa');

    // The key is shown once: a later visit does not show it again.
    await page.click('a[data-nav="devices"]');
    await page.click('a[data-nav="acme"]');
    await page.locator('tr[data-account]', { hasText: kid }).waitFor();
    if (await page.locator('#acme-eab').isVisible() || (await page.textContent('#eab-hmac')) !== '')
      fail('the EAB key is shown again on a later visit');
    const eabRow = (await page.locator('tr[data-account]', { hasText: kid }).innerText()).replace(/\s+/g, ' ');
    if (!eabRow.includes('eab')) fail('the EAB account is not listed as eab: ' + eabRow);
    ok('a later visit lists the EAB account (' + eabRow.trim() + ') and no longer shows the key');
    await shot(page, '05-acme-accounts');

    // Devices: the ACME device has "Release name" and no rename.
    await page.click('a[data-nav="devices"]');
    const printer = page.locator('tr[data-device="printer"]');
    await printer.waitFor();
    if (await printer.locator('button[data-action="rename"]').count()) fail('the ACME device offers Rename');
    ok('the ACME device printer offers Release name instead of Rename');
    await shot(page, '06-devices-acme');
    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await printer.locator('button[data-action="release"]').click();
    await page.locator('#flash').filter({ hasText: 'Released printer: 1 certificate(s)' }).waitFor();
    await page.locator('tr[data-device="printer"].revoked').waitFor();
    if (!asked.includes('Release printer')) fail('release did not ask for confirmation');
    if (!(await page.locator('tr[data-device="printer"] button[data-action="release"]').count()))
      fail('the revoked ACME device lost its Release name button');
    ok('Release name asks first, then revokes printer\'s certificate');
    await shot(page, '07-devices-released');

    // The account approved above gets nas.home.arpa and revokes it itself (RFC 8555 section 7.6,
    // lego revoke --reason 1): the list shows nas revoked, for the client's reason, and no longer
    // offers Revoke for a certificate that already is.
    const legoA = ['--server', directory, '--email', 'a@example.org', '--accept-tos', '--domains',
      'nas.home.arpa', '--http', '--http.port', '127.0.0.1:' + process.env.ACME_HTTP_PORT,
      '--path', path.join(process.env.WORK, 'lego-a'), '--key-type', 'ec256'];
    const legoEnv = { LEGO_CA_CERTIFICATES: path.join(process.env.ROUTER_DIR, 'ca', 'root.pem') };
    const nasIssued = await run('timeout', ['60', 'lego', ...legoA, 'run'], legoEnv);
    if (nasIssued.code !== 0) fail('lego run for nas.home.arpa failed: ' + nasIssued.out);
    const nasRevoked = await run('timeout', ['60', 'lego', ...legoA, 'revoke', '--reason', '1'], legoEnv);
    if (nasRevoked.code !== 0) fail('lego revoke --reason 1 failed: ' + nasRevoked.out);
    await page.click('a[data-nav="acme"]');
    await page.click('a[data-nav="devices"]');
    const nas = page.locator('tr[data-device="nas"].revoked');
    await nas.locator('td', { hasText: /^revoked \(key compromise\)$/ }).waitFor();
    if (await nas.locator('button[data-action="revoke"]').count()) fail('the revoked nas still offers Revoke');
    ok('lego revoke --reason 1 of nas: the device list shows nas revoked (key compromise), without a Revoke button');
    await shot(page, '08-devices-acme-revoked');
  } finally {
    await close();
  }
})().catch((e) => { console.error('FAIL: ' + e.message); process.exit(1); });
