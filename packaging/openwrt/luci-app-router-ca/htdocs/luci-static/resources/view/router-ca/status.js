'use strict';
'require view';
'require fs';
'require ui';

// router-ca's state comes from the daemon itself (`router-ca status --json`, over its control
// socket), the one command the ACL (rpcd acl.d/luci-app-router-ca.json) lets LuCI run. The
// administration pages are router-ca's own, on its HTTPS port: this page links there.

var ROUTER_CA = '/usr/sbin/router-ca';
var STATUS_ARGS = [ 'status', '--json', '--data-dir', '/etc/router-ca' ];
var ROOT_PEM = '/etc/router-ca/ca/root.pem';

function row(label, value) {
	return E('tr', { 'class': 'tr' }, [
		E('td', { 'class': 'td left', 'width': '33%' }, [ label ]),
		E('td', { 'class': 'td left' }, [ value ])
	]);
}

function pairingText(p) {
	if (!p)
		return '-';
	if (p.open)
		return _('open, closes in %d s').format(p.closes_in_seconds || 0);
	return _('closed (last: %s)').format(p.outcome || '-');
}

function downloadRoot(ev) {
	return fs.read(ROOT_PEM).then(function(pem) {
		var link = E('a', {
			'href': URL.createObjectURL(new Blob([ pem ], { type: 'application/x-pem-file' })),
			'download': 'home-root.pem'
		});
		document.body.appendChild(link);
		link.click();
		document.body.removeChild(link);
	}).catch(function(err) {
		ui.addNotification(null, E('p', _('Cannot read the root: %s').format(err.message)));
	});
}

return view.extend({
	load: function() {
		return L.resolveDefault(fs.exec(ROUTER_CA, STATUS_ARGS), null);
	},

	render: function(res) {
		var title = E('h2', _('Certificates (router-ca)'));
		if (!res || res.code !== 0) {
			return E([], [ title, E('div', { 'class': 'alert-message warning' }, [
				E('p', _('router-ca is not answering. Is it enabled in /etc/config/router-ca and running (/etc/init.d/router-ca status)?')),
				E('pre', (res && res.stderr) || '')
			]) ]);
		}

		var s;
		try {
			s = JSON.parse(res.stdout);
		}
		catch (e) {
			return E([], [ title, E('p', _('router-ca sent an unreadable answer.')) ]);
		}

		var requests = (s.requests || []).map(function(r) {
			return E('li', '%s %s %s (%s)'.format(r.id, r.status, r.name_hint || '', r.ipv4 || '?'));
		});

		return E([], [
			title,
			E('p', _('Devices on the home network get certificates from this router after a long press of the pairing button. Install the home root once on each computer and phone.')),
			E('table', { 'class': 'table' }, [
				row(_('Home domain'), s.domain || '-'),
				row(_('Root SHA-256'), E('code', s.root_fingerprint || '-')),
				row(_('Root expires'), s.root_not_after || '-'),
				row(_('Intermediate expires'), s.intermediate_not_after || '-'),
				row(_('Devices'), String(s.devices != null ? s.devices : '-')),
				row(_('Pairing window'), pairingText(s.pairing)),
				row(_('Pending requests'), requests.length ? E('ul', requests) : _('none'))
			]),
			E('div', { 'class': 'cbi-page-actions' }, [
				E('button', { 'class': 'btn cbi-button-action', 'click': ui.createHandlerFn(this, downloadRoot) },
					_('Download the home root')),
				' ',
				E('a', { 'class': 'btn cbi-button', 'href': s.url + '/', 'target': '_blank', 'rel': 'noopener' },
					_('Open router-ca (%s)').format(s.url))
			])
		]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
