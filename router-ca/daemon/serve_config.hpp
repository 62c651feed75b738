#pragma once
// The daemon's configuration, built and validated once before anything starts (house style #8),
// from one table of options that also makes --help (house style #9).
#include <optional>
#include <string>
#include <vector>

#include "core/home_policy.hpp"
#include "core/pairing_window.hpp"
#include "core/result.hpp"
#include "net/connection_limiter.hpp"

namespace rca {

/// Everything `router-ca serve` needs to know.
struct ServeConfig {
    std::string data_dir = "router-ca-data";
    std::string listen_host = "127.0.0.1";
    int listen_port = 8443;  ///< 8443: HTTPS without root privileges (443 is usually taken)
    HomePolicy policy;       ///< lan_subnets default to the RFC 1918 ranges
    PairingRules pairing;
    /// The authoritative DNS responder for the home zone; 5335 because dnsmasq keeps 53 on
    /// OpenWrt and forwards the zone here (server=/home.arpa/127.0.0.1#5335).
    bool dns_enabled = true;
    std::string dns_host = "127.0.0.1";
    int dns_port = 5335;
    /// router.<domain> answers this; unset means the first LAN address the router listens on.
    std::optional<Ipv4> router_address;
    /// Publish the router and devices over mDNS (Avahi).
    bool mdns_enabled = true;
    /// The port ACME http-01 answers are fetched from; 80 as RFC 8555 section 8.3 says.
    int acme_http_port = 80;
    /// The port ACME tls-alpn-01 handshakes go to; 443 as RFC 8737 section 3 says.
    int acme_tls_port = 443;
    /// HTTPS connections served at once, in total (one worker thread each, so this bounds
    /// memory) and from one client address (so one LAN host cannot take them all).
    ConnectionLimits http_connections;
    /// A file whose secret encrypts the intermediate keys at rest; empty: stored unencrypted.
    std::string intermediate_key_secret_file;
    /// The vendor's HQ (docs/hq.md) for public names and certificates; empty: no HQ link.
    std::string hq_url;
    /// A PEM file of roots for HQ's HTTPS; empty: the system's roots.
    std::string hq_ca_file;
    /// The router's factory credential for HQ (daemon/hq_router_credential.hpp), mode 0600;
    /// empty: none, and HQ refuses to register the home.
    std::string hq_credential_file;
};

/// Parses `serve` options (argv after the subcommand). Errors name the option and the problem.
Result<ServeConfig> parse_serve_options(const std::vector<std::string>& args);

/// The option table rendered as help text.
std::string serve_options_help();

/// Parses "HOST:PORT" where HOST is an IPv4 address.
bool parse_host_port(const std::string& text, std::string& host, int& port);

/// The data directory option shared by every CLI subcommand ("--data-dir DIR").
inline constexpr const char* kDataDirOption = "--data-dir";

}  // namespace rca
