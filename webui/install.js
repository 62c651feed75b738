// Fills the install page with the root's fingerprint and constraints (no login needed).
'use strict';
(async () => {
  const res = await fetch('/api/v1/admin/root');
  if (!res.ok) return;
  const r = await res.json();
  document.getElementById('fingerprint').textContent = r.fingerprint_grouped;
  document.getElementById('not-after').textContent = r.not_after.replace('T', ' ').replace('Z', ' UTC');
  document.getElementById('c-domain').textContent = r.domain;
  document.getElementById('c-local').textContent = r.local_names ? ' (and .local)' : '';
  document.getElementById('c-subnets').textContent = r.lan_subnets.join(', ');
  document.getElementById('domain-example').textContent = 'camera.' + r.domain;
})();
