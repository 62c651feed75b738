#pragma once
// The LAN neighbour (ARP) table: which link-layer address a LAN IPv4 address answers from, so that
// the admin can tell two devices in a pairing alert apart, and find them on the network. Linux
// publishes it in /proc/net/arp (proc(5)); OpenWrt's kernel does too.
#include <optional>
#include <string>

namespace rca {

/// The hardware address of `ipv4` in the text of /proc/net/arp, lower case ("aa:bb:..."), when
/// the entry is complete (flag ATF_COM, 0x2); nullopt otherwise.
std::optional<std::string> arp_table_mac(const std::string& proc_net_arp, const std::string& ipv4);

/// The same, read from this host's /proc/net/arp now; nullopt when the file cannot be read (the
/// source is the router itself, a loopback address or an IPv6 peer: none have an ARP entry).
std::optional<std::string> neighbour_mac(const std::string& ipv4);

}  // namespace rca
