// router-ca admin UI: plain JavaScript, no framework. Talks to /api/v1/admin/* with the session
// cookie (set by the server, HttpOnly) and sends the CSRF token in X-CSRF-Token on every change.
'use strict';

const API = '/api/v1/admin';
const $ = (sel) => document.querySelector(sel);
let csrf = null;
let pairTimer = null;

// Builds an element; children are nodes or text (never HTML, so names cannot inject markup).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'onclick') e.addEventListener('click', v);
    else if (k === 'className') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function when(iso) { return iso ? iso.replace('T', ' ').replace('Z', '') : '—'; }

function flash(text) {
  const f = $('#flash');
  f.textContent = text;
  f.hidden = !text;
}

function showError(id, text) {
  const e = $(id);
  e.textContent = text || '';
  e.hidden = !text;
}

// One request to the admin API. Answers {ok, status, data}; a 401 on a page that needs a session
// sends the browser to the login form.
async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const res = await fetch(API + path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json() : await res.blob();
  return { ok: res.ok, status: res.status, data, headers: res.headers };
}

function problemText(r) {
  return (r.data && r.data.detail) || ('request failed (' + r.status + ')');
}

function show(view) {
  for (const s of document.querySelectorAll('[data-view]')) s.hidden = s.id !== 'view-' + view;
  for (const a of document.querySelectorAll('[data-nav]'))
    a.classList.toggle('active', a.dataset.nav === view);
  $('#nav').hidden = !csrf;
  document.title = 'router-ca · ' + view;
}

// The HQ link's part of the status (docs/hq.md "Router side"): the home's public zone and the
// router's public certificate, or why they are missing.
function publicText(p) {
  if (p.state === 'off') return 'off (no vendor HQ configured)';
  let text = p.zone ? p.zone + ' (' + p.state + ')' : p.state;
  const c = p.router_certificate;
  if (c && c.state === 'installed') text += '; public certificate until ' + when(c.not_after);
  else if (c && c.detail) text += '; no public certificate: ' + c.detail;
  if (p.error)
    text += '; HQ unreachable since ' + when(p.unreachable_since) + ': ' + p.error +
      ' (next attempt ' + when(p.next_attempt) + ')';
  return text;
}

const views = {
  async dashboard() {
    const r = await api('GET', '/status');
    if (!r.ok) return failed(r);
    const s = r.data;
    $('#dash-root-fp').textContent = s.root_fingerprint_grouped;
    $('#dash-root-exp').textContent = when(s.root_not_after);
    $('#dash-int-fp').textContent = s.intermediate_fingerprint_grouped;
    $('#dash-int-exp').textContent = when(s.intermediate_not_after);
    // docs/ca-keys.md: an offline root is the safer state; then rotation needs the admin.
    const k = s.ca_keys;
    $('#dash-root-key').textContent = k.root_key === 'offline'
      ? 'offline (exported; needed only to rotate the intermediate)'
      : 'on this router';
    $('#dash-rotation').textContent = k.rotation_warning
      ? 'Warning: ' + k.rotation_warning
      : 'Rotation due ' + when(k.rotation_due_at) + ' (' + k.intermediates.length + ' held)';
    $('#dash-devices').textContent = s.devices;
    $('#dash-expiring').textContent = s.expiring_soon.length
      ? 'Expiring soon: ' + s.expiring_soon.map((d) => d.name + ' (' + when(d.not_after) + ')').join(', ')
      : 'None expiring soon.';
    // A replaced certificate asked for more than a lost renewal answer (docs/security.md).
    $('#dash-cloned').hidden = s.possibly_cloned.length === 0;
    $('#dash-cloned').textContent = 'Possibly cloned: ' +
      s.possibly_cloned.map((d) => d.name + ' (' + when(d.at) + ')').join(', ') +
      '. An old certificate of it is in use beside the device: revoke it and pair it again.';
    $('#dash-pairing').textContent = s.pairing.open
      ? 'Open, closes in ' + s.pairing.closes_in_seconds + ' s'
      : 'Closed (last: ' + s.pairing.outcome.replace('_', ' ') + ')';
    $('#dash-domain').textContent = s.domain;
    $('#dash-dns').textContent = s.dns === 'off' ? 'off' : 'answering on ' + s.dns;
    $('#dash-mdns').textContent = s.mdns.detail || (s.mdns.enabled ? 'on' : 'off');
    $('#dash-public').textContent = publicText(s.public);
  },

  async pair() {
    await refreshPairing();
  },

  async devices() {
    const r = await api('GET', '/devices');
    if (!r.ok) return failed(r);
    const body = $('#devices-table tbody');
    body.replaceChildren();
    const list = r.data.devices.filter((d) => d.source !== 'router');
    $('#devices-none').hidden = list.length > 0;
    for (const d of list) body.append(deviceRow(d));
  },

  async acme() {
    showEab(null);  // an EAB key is shown once: not again on a later visit
    await refreshAccounts();
  },

  async audit() {
    const r = await api('GET', '/audit?limit=200');
    if (!r.ok) return failed(r);
    const body = $('#audit-table tbody');
    body.replaceChildren();
    for (const e of r.data.events)
      body.append(el('tr', {}, el('td', {}, when(e.at)), el('td', {}, e.event),
        el('td', {}, e.subject), el('td', {}, e.detail)));
  },

  async backup() {},
};

function failed(r) {
  if (r.status === 401) { csrf = null; show('login'); return; }
  flash(problemText(r));
}

// RFC 5280's revocation reasons (docs/admin-api.md), as the State column says them.
const REASON_TEXT = {
  keyCompromise: 'key compromise', affiliationChanged: 'affiliation changed',
  superseded: 'superseded', cessationOfOperation: 'no longer in use',
  privilegeWithdrawn: 'privilege withdrawn',
};

// The State cell: "revoked" with the reason the CRL gives (an ACME client's or the admin's),
// "possibly cloned" when a replaced certificate asked for more than a lost answer, or "active".
function deviceState(d) {
  if (d.revoked) {
    const reason = REASON_TEXT[d.revocation_reason];
    return el('td', { className: 'error' }, reason ? 'revoked (' + reason + ')' : 'revoked');
  }
  if (d.possibly_cloned_at)
    return el('td', { className: 'error', 'data-state': 'possibly-cloned' }, 'possibly cloned',
      el('br'), el('span', { className: 'muted' },
        'an old certificate asked ' + when(d.possibly_cloned_at) + '; revoke and pair again'));
  return el('td', { className: 'ok' }, 'active');
}

function deviceRow(d) {
  const actions = el('div', { className: 'actions' });
  const row = el('tr', { 'data-device': d.name, className: d.revoked ? 'revoked' : '' },
    el('td', {}, el('strong', {}, d.name), el('br'), el('span', { className: 'muted' }, d.fqdn)),
    el('td', {}, d.ipv4 || '—'), el('td', {}, d.key_type), el('td', {}, when(d.not_after)),
    el('td', {}, when(d.last_issued_at)), el('td', {}, d.source), deviceState(d),
    el('td', {}, actions));
  // An ACME device's name belongs to the account that validated it (docs/acme.md): it is not
  // renamed but released, revoked or not, so that another account may take it.
  if (d.source === 'acme')
    actions.append(el('button', { className: 'danger', type: 'button', 'data-action': 'release',
      onclick: () => release(d.name) }, 'Release name'));
  else if (!d.revoked)
    actions.append(el('button', { className: 'secondary', type: 'button', 'data-action': 'rename',
      onclick: () => rename(d.name) }, 'Rename'));
  if (!d.revoked)
    actions.append(el('button', { className: 'danger', type: 'button', 'data-action': 'revoke',
      onclick: () => revoke(d.name) }, 'Revoke'));
  actions.append(el('button', { className: 'danger', type: 'button', 'data-action': 'delete',
    onclick: () => remove(d.name, d.revoked) }, 'Delete'));
  return row;
}

async function rename(name) {
  const next = prompt('New name for ' + name + ' (lowercase letters, digits and -):', name);
  if (!next || next === name) return;
  const r = await api('POST', '/devices/' + encodeURIComponent(name) + '/rename', { name: next });
  if (!r.ok) return failed(r);
  flash('Renamed to ' + r.data.fqdn + '. Its certificate carries the new name from its next renewal.');
  views.devices();
}

async function release(name) {
  if (!confirm('Release ' + name + '? Its certificates are revoked, and the next ACME client to ' +
    'validate the name owns it.')) return;
  const r = await api('POST', '/acme/names/' + encodeURIComponent(name) + '/release', {});
  if (!r.ok) return failed(r);
  flash('Released ' + name + ': ' + r.data.serials.length + ' certificate(s) are in the CRL now; ' +
    'the next ACME client to validate it owns it.');
  views.devices();
}

// Asks why in the revoke dialog; resolves with the reason's RFC 5280 name, or null for Cancel.
function askRevocationReason(name) {
  const dialog = $('#revoke-dialog');
  $('#revoke-title').textContent = 'Revoke ' + name + '?';
  $('#revoke-reason').value = 'unspecified';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'revoke' ? $('#revoke-reason').value : null);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

async function revoke(name) {
  const reason = await askRevocationReason(name);
  if (!reason) return;
  const r = await api('POST', '/devices/' + encodeURIComponent(name) + '/revoke', { reason });
  if (!r.ok) return failed(r);
  flash('Revoked ' + name + ': ' + r.data.serials.length + ' certificate(s) are in the CRL now.');
  views.devices();
}

async function remove(name, revoked) {
  const what = revoked ? '' : ' This revokes its certificates first.';
  if (!confirm('Delete ' + name + ' from the list?' + what)) return;
  const r = await api('DELETE', '/devices/' + encodeURIComponent(name));
  if (!r.ok) return failed(r);
  flash('Deleted ' + name + '. Its revoked certificates stay in the CRL.');
  views.devices();
}

async function decide(id, verb) {
  const r = await api('POST', '/requests/' + id + '/' + verb, {});
  if (!r.ok) return failed(r);
  flash(verb === 'approve' ? 'Approved: ' + r.data.fqdn : 'Denied the request.');
  refreshPairing();
}

// The accounts table, and the directory URL as this browser reaches the router.
async function refreshAccounts() {
  const [r, root] = await Promise.all([api('GET', '/acme/accounts'), api('GET', '/root')]);
  const directory = location.origin + '/acme/directory';
  const example = 'nas.' + (root.ok ? root.data.domain : 'home.arpa');
  $('#acme-directory').textContent = directory;
  $('#acme-hint-lego').textContent = 'LEGO_CA_CERTIFICATES=root.pem lego --server ' + directory +
    ' --email you@example.org --accept-tos --domains ' + example + ' --http run';
  $('#acme-hint-certbot').textContent = 'REQUESTS_CA_BUNDLE=root.pem certbot certonly --standalone' +
    ' --server ' + directory + ' -m you@example.org --agree-tos -d ' + example;
  if (!r.ok) return failed(r);
  const list = r.data.accounts;
  $('#acme-none').hidden = list.length > 0;
  $('#acme-table').hidden = list.length === 0;
  $('#acme-table tbody').replaceChildren(...list.map(accountRow));
}

// What each approval means, beside its name (acme_types.hpp Approval).
const APPROVALS = {
  waiting: 'may not order yet', overlap: 'asked with another in one pairing window',
  pairing: 'by the pairing button', admin: 'by the admin', eab: 'by an EAB key',
};

function accountRow(a) {
  const waiting = a.approval === 'waiting' || a.approval === 'overlap';
  const actions = el('div', { className: 'actions' });
  if (waiting && a.status === 'valid')
    actions.append(el('button', { type: 'button', 'data-action': 'approve',
      onclick: () => approveAccount(a.id) }, 'Approve'));
  const how = APPROVALS[a.approval] || '';
  return el('tr', { 'data-account': a.id, className: a.status === 'valid' ? '' : 'revoked' },
    el('td', {}, el('code', {}, a.id)),
    el('td', {}, el('strong', { className: waiting ? 'warn' : 'ok' }, a.approval), el('br'),
      el('span', { className: 'muted' }, a.eab_kid ? how + ' ' + a.eab_kid : how)),
    el('td', {}, a.status),
    el('td', {}, a.contact.map((c) => c.replace(/^mailto:/, '')).join(', ') || '—'),
    el('td', {}, when(a.created_at)), el('td', {}, actions));
}

async function approveAccount(id) {
  const r = await api('POST', '/acme/accounts/' + id + '/approve', {});
  if (!r.ok) return failed(r);
  flash('Approved account ' + id + ': it may order certificates now.');
  refreshAccounts();
}

// Shows a new EAB key with its ready-to-paste flags, or (null) hides and forgets the last one.
function showEab(key) {
  $('#acme-eab').hidden = !key;
  const k = key || { kid: '', hmac_key: '' };
  $('#eab-kid').textContent = k.kid;
  $('#eab-hmac').textContent = k.hmac_key;
  $('#eab-lego').textContent = key ? '--eab --kid=' + k.kid + ' --hmac=' + k.hmac_key : '';
  $('#eab-certbot').textContent = key ? '--eab-kid=' + k.kid + ' --eab-hmac-key=' + k.hmac_key : '';
}

// Where a request or participant came from: its address, and the MAC the router's neighbour
// table gives for it (how the admin finds the device on the network).
function origin(x) {
  return [x.source || '—', x.mac ? 'MAC ' + x.mac : ''].filter(Boolean).join(', ');
}

function requestRow(q) {
  const actions = el('div', { className: 'actions' },
    el('button', { type: 'button', 'data-action': 'approve', onclick: () => decide(q.id, 'approve') }, 'Approve'),
    el('button', { type: 'button', className: 'danger', 'data-action': 'deny',
      onclick: () => decide(q.id, 'deny') }, 'Deny'));
  if (q.source) {
    actions.append(el('button', { type: 'button', className: 'danger', 'data-action': 'block',
      onclick: () => block(q.source) }, 'Deny and block ' + q.source));
  }
  return el('tr', { 'data-request': q.id, className: q.suspicious ? 'suspicious' : '' },
    el('td', {}, el('code', {}, q.id.slice(0, 8)), el('br'),
      el('span', { className: 'fp', 'data-field': 'key-fingerprint' }, q.key_fingerprint)),
    el('td', {}, q.name_hint || '—'),
    el('td', {}, origin(q), q.suspicious ? el('br') : '',
      q.suspicious ? el('strong', { className: 'warn', 'data-field': 'suspicious' }, 'suspicious: keeps asking, never approved') : ''),
    el('td', {}, q.key_type), el('td', {}, when(q.received_at)), el('td', {}, q.status),
    el('td', {}, actions));
}

async function block(source) {
  if (!confirm('Deny every waiting request from ' + source + ' and refuse its new ones?')) return;
  const r = await api('POST', '/sources/block', { source });
  if (!r.ok) return failed(r);
  flash('Blocked ' + source + '; denied ' + r.data.denied.length + ' waiting request(s).');
  refreshPairing();
}

async function unblock(source) {
  const r = await api('POST', '/sources/unblock', { source });
  if (!r.ok) return failed(r);
  flash('Unblocked ' + source + '.');
  refreshPairing();
}

// After an overlap: who took part, so the admin can tell the real device from an intruder.
function participantsList(participants) {
  return el('ul', { id: 'pair-participants' }, ...participants.map(p =>
    el('li', { 'data-participant': p.id },
      (p.kind === 'acme-account' ? 'ACME account ' : 'Device request ') + p.id.slice(0, 8) +
      ' from ' + origin(p) + ', key ', el('span', { className: 'fp' }, p.key_fingerprint || '?'),
      p.name_hint ? ', asked for "' + p.name_hint + '"' : '')));
}

function sourcesLists(suspicious, blocked) {
  const box = $('#pair-sources');
  box.replaceChildren();
  if (suspicious.length) {
    box.append(el('h2', {}, 'Suspicious sources'),
      el('p', {}, 'These addresses keep asking to pair and were never approved. A real device ' +
        'asks once, right after you press the button.'),
      el('ul', { id: 'pair-suspicious' }, ...suspicious.map(s => el('li', { 'data-source': s.source },
        origin(s) + ': ' + s.requests + ' requests since ' + when(s.first_seen) + ', ' +
        s.overlaps + ' overlaps ',
        el('button', { type: 'button', className: 'danger', 'data-action': 'block',
          onclick: () => block(s.source) }, 'Deny and block')))));
  }
  if (blocked.length) {
    box.append(el('h2', {}, 'Blocked addresses'),
      el('ul', { id: 'pair-blocked' }, ...blocked.map(b => el('li', { 'data-source': b.source },
        b.source + ' since ' + when(b.blocked_at) + ' ',
        el('button', { type: 'button', className: 'secondary', 'data-action': 'unblock',
          onclick: () => unblock(b.source) }, 'Unblock')))));
  }
}

// Polls the status once a second while the pairing page is shown and the window is open.
async function refreshPairing() {
  clearTimeout(pairTimer);
  const r = await api('GET', '/status');
  if (!r.ok) return failed(r);
  const p = r.data.pairing;
  const requests = r.data.requests;
  const body = $('#pair-requests tbody');
  body.replaceChildren(...requests.map(requestRow));
  $('#pair-requests').hidden = requests.length === 0;
  $('#pair-none').hidden = requests.length > 0;
  sourcesLists(r.data.suspicious_sources || [], r.data.blocked_sources || []);
  // After an approval the window only watches: a press then starts one for the next device.
  $('#pair-open').disabled = p.open && p.outcome !== 'approved';
  const outcome = $('#pair-outcome');
  outcome.replaceChildren();
  $('#pair-countdown').textContent = p.open ? 'Open: ' + p.closes_in_seconds + ' s left' : '';
  // The window keeps watching after it approved a device, until it closes.
  if (p.outcome === 'approved' && p.approved_device) {
    outcome.append(el('p', { className: 'ok', id: 'pair-approved' },
      'Paired: ' + p.approved_device.name + ' (' + p.approved_device.fqdn + ')' +
      (p.open ? '. If another device asks before the window closes, this is taken back.' : '')));
  } else if (p.outcome === 'overlap') {
    outcome.append(el('p', { className: 'warn', id: 'pair-overlap' },
      'Two or more devices asked in one window, so none keeps a certificate (one approved ' +
      'earlier in the window has been revoked). Compare the keys with what each device ' +
      'shows (device-enrol prints its key fingerprint), approve the right one below, or deny ' +
      'them and pair again one at a time. If you did not start the other one, someone else ' +
      'on your network asked to pair.'),
      participantsList(p.participants || []));
  } else if (!p.open) {
    if (p.outcome === 'timed-out') {
      outcome.append(el('p', { className: 'warn', id: 'pair-nothing' },
        'Nothing arrived while the window was open. Check the device is in pairing mode and try again.'));
    }
  }
  if (p.open && location.hash === '#/pair') pairTimer = setTimeout(refreshPairing, 1000);
}

async function route() {
  flash('');
  clearTimeout(pairTimer);
  if (!csrf) return;
  const name = (location.hash.replace(/^#\/?/, '') || 'dashboard');
  const view = views[name] ? name : 'dashboard';
  show(view);
  await views[view]();
}

function loggedIn(token) {
  csrf = token;
  if (!location.hash || location.hash === '#/') location.hash = '#/dashboard';
  route();
}

async function boot() {
  const setup = await api('GET', '/setup');
  if (setup.ok && setup.data.setup_needed) {
    $('#setup-domain').textContent = setup.data.domain;
    $('#setup-subnets').textContent = setup.data.lan_subnets.join(', ');
    window.setupInfo = setup.data;
    return show('setup');
  }
  const s = await api('GET', '/session');
  if (s.ok) return loggedIn(s.data.csrf_token);
  show('login');
}

$('#setup-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if ($('#setup-password').value !== $('#setup-password2').value)
    return showError('#setup-error', 'The two passwords differ.');
  const r = await api('POST', '/setup', {
    code: $('#setup-code').value, password: $('#setup-password').value,
    domain: window.setupInfo.domain, lan_subnets: window.setupInfo.lan_subnets,
  });
  if (!r.ok) return showError('#setup-error', problemText(r));
  showError('#setup-error', '');
  loggedIn(r.data.csrf_token);
});

$('#login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await api('POST', '/login', { password: $('#login-password').value });
  // A 429's detail says why (this address's failures, or other logins being checked) and how long.
  if (!r.ok) return showError('#login-error', problemText(r));
  $('#login-password').value = '';
  showError('#login-error', '');
  loggedIn(r.data.csrf_token);
});

$('#logout').addEventListener('click', async () => {
  await api('POST', '/logout', {});
  csrf = null;
  show('login');
});

$('#pair-open').addEventListener('click', async () => {
  const r = await api('POST', '/pairing', {});
  if (!r.ok) return failed(r);
  refreshPairing();
});

$('#acme-eab-new').addEventListener('click', async () => {
  const r = await api('POST', '/acme/eab', {});
  if (!r.ok) return failed(r);
  showEab(r.data);
});

$('#backup-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const pass = $('#backup-pass').value;
  if (pass !== $('#backup-pass2').value) return showError('#backup-error', 'The two passphrases differ.');
  const r = await api('POST', '/backup', { passphrase: pass });
  if (!r.ok) return showError('#backup-error', problemText(r));
  showError('#backup-error', '');
  const cd = r.headers.get('Content-Disposition') || '';
  const m = /filename="([^"]+)"/.exec(cd);
  const a = el('a', { href: URL.createObjectURL(r.data), download: m ? m[1] : 'router-ca.rcabak' });
  document.body.append(a);
  a.click();
  a.remove();
  flash('Backup downloaded. Keep the passphrase somewhere else.');
});

window.addEventListener('hashchange', route);
boot();
