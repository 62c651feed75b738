// Drives the admin UI in Chromium (see admin_flow_test.sh). The router's certificate is not what
// this test is about, so HTTPS errors are ignored here; trust_test.sh tests trust.
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const { launch, ok, fail } = require('./browser');

const url = process.env.ROUTER_URL;
const shots = process.env.SHOTS;
const PASSWORD = 'correct horse battery';

async function shot(page, name) {
  const file = path.join(shots, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  console.log('# screenshot ' + file);
}

function run(commandLine) {
  return new Promise((resolve) => {
    const [cmd, ...args] = commandLine.split(' ');
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

(async () => {
  const { context, close } = await launch({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15000);

    // First run: the setup page, with the code from the router.
    await page.goto(url + '/');
    await page.locator('#view-setup').waitFor();
    if ((await page.textContent('#setup-domain')) !== 'home.arpa') fail('setup does not show the domain');
    await shot(page, '01-setup');
    await page.fill('#setup-code', '0000-0000-0000-0000');
    await page.fill('#setup-password', PASSWORD);
    await page.fill('#setup-password2', PASSWORD);
    await page.check('#setup-confirm');
    await page.click('#setup-submit');
    await page.locator('#setup-error').filter({ hasText: 'wrong setup code' }).waitFor();
    ok('a wrong setup code is refused on the page');
    await page.fill('#setup-code', process.env.SETUP_CODE.toLowerCase());
    await page.click('#setup-submit');
    await page.locator('#view-dashboard').waitFor();
    await page.locator('#dash-root-fp').filter({ hasText: ':' }).waitFor();
    ok('setup with the code creates the admin and opens the dashboard');
    await page.locator('#dash-root-key').filter({ hasText: 'on this router' }).waitFor({ timeout: 5000 });
    await page.locator('#dash-rotation').filter({ hasText: /^Rotation due .* \(1 held\)$/ }).waitFor({ timeout: 5000 });
    await page.locator('#dash-public').filter({ hasText: 'off (no vendor HQ configured)' }).waitFor({ timeout: 5000 });
    ok('the dashboard shows the root key on this router, when the intermediate is due for rotation, and the public names off (no HQ)');
    await shot(page, '02-dashboard');

    // Logout, a wrong password, then the right one.
    await page.click('#logout');
    await page.locator('#view-login').waitFor();
    await page.fill('#login-password', 'not the password');
    await page.click('#login-submit');
    await page.locator('#login-error').filter({ hasText: 'wrong password' }).waitFor();
    ok('a wrong password is shown as an error');
    await shot(page, '03-login-wrong-password');
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.locator('#view-dashboard').waitFor();
    ok('login with the right password');
    const cookies = await context.cookies(url);
    const session = cookies.find((c) => c.name === '__Host-rca_session');
    if (!session || !session.secure || !session.httpOnly || session.sameSite !== 'Strict')
      fail('session cookie lacks Secure/HttpOnly/SameSite=Strict: ' + JSON.stringify(session));
    ok('the session cookie is Secure, HttpOnly, SameSite=Strict');

    // Pairing: open the window, enrol a device, see the outcome.
    await page.goto(url + '/#/pair');
    await page.locator('#view-pair').waitFor();
    await page.click('#pair-open');
    await page.locator('#pair-countdown').filter({ hasText: /Open: \d+ s left/ }).waitFor();
    const first = await page.textContent('#pair-countdown');
    await page.waitForTimeout(1500);
    const later = await page.textContent('#pair-countdown');
    if (first === later) fail('the countdown does not move: ' + first);
    ok('the pairing window opens with a live countdown (' + first + ' → ' + later + ')');
    await shot(page, '04-pair-open');
    const device = await run(process.env.DEVICE_CMD);
    if (device.code !== 0) fail('device-enrol pair failed: ' + device.out);
    await page.locator('#pair-approved').filter({ hasText: 'camera.home.arpa' }).waitFor();
    ok('the page shows the paired device: ' + (await page.textContent('#pair-approved')));
    await shot(page, '05-pair-approved');

    // An overlap: the next press, and two devices ask in it (from 127.0.0.7 and 127.0.0.8). The
    // page names both, with the key fingerprint each device shows; one is denied and blocked.
    await page.click('#pair-open');
    const two = await run(process.env.TWO_REQUESTS_CMD);
    if (two.code !== 0) fail('the two requests failed: ' + two.out);
    await page.locator('#pair-overlap').waitFor();
    const who = (await page.locator('#pair-participants li').allTextContents()).join(' | ');
    if (!who.includes('127.0.0.7') || !who.includes('127.0.0.8') ||
        (who.match(/[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2} [0-9A-F]{2}:/g) || []).length !== 2)
      fail('the overlap alert does not name both with their fingerprints: ' + who);
    ok('an overlap names both participants with address and key fingerprint: ' + who);
    await shot(page, '05b-pair-overlap');
    page.once('dialog', (d) => d.accept());
    await page.locator('tr[data-request] button[data-action="block"]').first().click();
    await page.locator('#pair-blocked li').first().waitFor();
    ok('"Deny and block" lists the address as blocked: ' +
       (await page.locator('#pair-blocked li').first().textContent()));

    // Devices: listed, then revoked for a reason chosen in the revoke dialog, then deleted.
    await page.goto(url + '/#/devices');
    const row = page.locator('tr[data-device="camera"]');
    await row.waitFor();
    if (!(await row.textContent()).includes('active')) fail('camera is not listed as active');
    ok('the device is listed: ' + (await row.textContent()).replace(/\s+/g, ' ').trim());
    await shot(page, '06-devices');

    // A copy of camera's key and certificate, renewing after camera itself did: the router
    // refuses it and flags camera as possibly cloned (issue 15, part 5).
    for (const [name, want] of [['CLONE_CMD', 0], ['RENEW_CMD', 0], ['CLONE_RENEW_CMD', 9]]) {
      const step = await run(process.env[name]);
      if (step.code !== want) fail(name + ' exited ' + step.code + ', not ' + want + ': ' + step.out);
    }
    await page.goto(url + '/#/dashboard');
    await page.locator('#dash-cloned').filter({ hasText: 'Possibly cloned: camera' }).waitFor();
    ok('the dashboard warns: ' + (await page.textContent('#dash-cloned')));
    await shot(page, '06b-dashboard-cloned');
    await page.goto(url + '/#/devices');
    await row.locator('td[data-state="possibly-cloned"]').waitFor();
    ok('the device list flags it: ' + (await row.textContent()).replace(/\s+/g, ' ').trim());
    await shot(page, '06c-devices-cloned');
    const dialog = page.locator('#revoke-dialog');
    await row.locator('button[data-action="revoke"]').click();
    await dialog.waitFor();
    if ((await page.textContent('#revoke-title')) !== 'Revoke camera?') fail('the revoke dialog does not name camera');
    await dialog.locator('button[value="cancel"]').click();
    await dialog.waitFor({ state: 'hidden' });
    if ((await row.getAttribute('class')) === 'revoked') fail('Cancel revoked the device');
    await row.locator('button[data-action="revoke"]').click();
    await page.selectOption('#revoke-reason', 'keyCompromise');
    await shot(page, '07-revoke-dialog');
    await page.click('#revoke-confirm');
    await page.locator('#flash').filter({ hasText: /^Revoked camera: \d+ certificate\(s\)/ }).waitFor();
    const revokedRow = page.locator('tr[data-device="camera"].revoked');
    await revokedRow.locator('td', { hasText: /^revoked \(key compromise\)$/ }).waitFor();
    ok('revoke asks why in a dialog (Cancel revokes nothing); with "key compromise" chosen the row says revoked (key compromise)');
    await shot(page, '08-devices-revoked');
    page.once('dialog', (d) => d.accept());
    await page.locator('tr[data-device="camera"] button[data-action="delete"]').click();
    await page.locator('tr[data-device="camera"]').waitFor({ state: 'detached' });
    ok('delete removes the device from the list');
    await shot(page, '09-devices-deleted');

    // Audit log.
    await page.goto(url + '/#/audit');
    await page.locator('#audit-table td', { hasText: 'device.revoked' }).first().waitFor();
    ok('the audit log lists device.revoked');
    await shot(page, '10-audit');

    // Backup: an encrypted download.
    await page.goto(url + '/#/backup');
    await page.fill('#backup-pass', 'webui backup passphrase');
    await page.fill('#backup-pass2', 'webui backup passphrase');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#backup-submit')]);
    await download.saveAs(path.join(process.env.WORK, 'backup.rcabak'));
    ok('the backup downloads as ' + download.suggestedFilename());
    await shot(page, '11-backup');

    // The install page, without a session.
    await page.click('#logout').catch(() => {});
    await page.goto(url + '/install');
    await page.locator('#fingerprint').filter({ hasText: /^([0-9A-F]{2}:){3}[0-9A-F]{2} / }).waitFor();
    for (const id of ['steps-windows', 'steps-macos', 'steps-ios', 'steps-android', 'steps-chromeos',
      'steps-linux', 'steps-firefox'])
      await page.locator('#' + id).waitFor();
    if (!(await page.textContent('#steps-ios')).replace(/\s+/g, ' ').includes('About → Certificate Trust Settings'))
      fail('the iOS steps do not mention Certificate Trust Settings');
    const qr = await page.locator('#qr').evaluate((img) => img.naturalWidth);
    if (!(qr > 0)) fail('the QR code image did not load');
    ok('the install page shows the grouped fingerprint, the QR code and steps for every platform');
    await shot(page, '12-install');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, '13-install-phone');
  } finally {
    await close();
  }
})().catch((e) => { console.error('FAIL: ' + e.message); process.exit(1); });
