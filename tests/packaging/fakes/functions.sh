# shellcheck shell=sh
# Test double of OpenWrt's /lib/functions.sh: the UCI helpers an init script uses, written for
# these tests. config_load evaluates `uci export` (the fake uci), as uci_load does on a router:
# its output is a series of config/option/list calls.

config() {
	CONFIG_SECTION=${2:-cfg$((${CONFIG_NUM_SECTIONS:-0} + 1))}
	CONFIG_NUM_SECTIONS=$((${CONFIG_NUM_SECTIONS:-0} + 1))
	CONFIG_SECTIONS="$CONFIG_SECTIONS $CONFIG_SECTION"
	eval "CONFIG_${CONFIG_SECTION}_TYPE=\$1"
}
option() {
	eval "CONFIG_${CONFIG_SECTION}_$1=\$2"
}
list() {
	eval "_len=\${CONFIG_${CONFIG_SECTION}_$1_LENGTH:-0}"
	_len=$((_len + 1))
	eval "CONFIG_${CONFIG_SECTION}_$1_ITEM$_len=\$2"
	eval "CONFIG_${CONFIG_SECTION}_$1_LENGTH=$_len"
	eval "CONFIG_${CONFIG_SECTION}_$1=\"\${CONFIG_${CONFIG_SECTION}_$1:+\${CONFIG_${CONFIG_SECTION}_$1} }\$2\""
}
package() { :; }

config_load() {
	CONFIG_SECTIONS=""
	CONFIG_NUM_SECTIONS=0
	_export=$(uci -q export "$1") || return 1
	eval "$_export"
}

# config_get VAR SECTION OPTION [DEFAULT]
config_get() {
	eval "_value=\${CONFIG_$2_$3-}"
	[ -n "$_value" ] || _value=$4
	eval "$1=\$_value"
}

config_get_bool() {
	config_get _bool "$2" "$3" "$4"
	case "$_bool" in
		1 | on | true | yes | enabled) _bool=1 ;;
		0 | off | false | no | disabled) _bool=0 ;;
		*) _bool=$4 ;;
	esac
	eval "$1=\$_bool"
}

# config_list_foreach SECTION OPTION FUNCTION
config_list_foreach() {
	_n=0
	_item=""
	eval "_n=\${CONFIG_$1_$2_LENGTH:-0}"
	_i=1
	while [ "$_i" -le "$_n" ]; do
		eval "_item=\$CONFIG_$1_$2_ITEM$_i"
		"$3" "$_item"
		_i=$((_i + 1))
	done
}
