# shellcheck shell=sh
# Test doubles of /lib/functions/procd.sh: each call is written to $PROCD_LOG, one line per call,
# arguments separated by a tab, so a test can compare the exact command lines.

_procd_record() {
	_line=$1
	shift
	for _arg in "$@"; do _line="$_line	$_arg"; done
	printf '%s\n' "$_line" >>"$PROCD_LOG"
}
procd_open_service() { _procd_record open_service "$@"; }
procd_close_service() { _procd_record close_service "$@"; }
procd_open_instance() { _procd_record open_instance "$@"; }
procd_close_instance() { _procd_record close_instance "$@"; }
procd_set_param() { _procd_record set_param "$@"; }
procd_append_param() { _procd_record append_param "$@"; }
procd_add_reload_trigger() { _procd_record add_reload_trigger "$@"; }
procd_add_interface_trigger() { _procd_record add_interface_trigger "$@"; }
