#include "daemon/serve_config.hpp"

#include "common/option_table.hpp"
#include "core/home_scope.hpp"
#include "daemon/hq_client.hpp"
#include "psl/system_suffixes.hpp"

namespace rca {
namespace {

using OptionSpec = rca::OptionSpec<ServeConfig>;

const std::vector<OptionSpec>& option_table() {
    static const std::vector<OptionSpec> table = {
        {"--data-dir", "DIR", "router-ca-data",
         "where the CA, the database and the control socket live",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return "must not be empty";
             c.data_dir = v;
             return std::nullopt;
         }},
        {"--listen", "HOST:PORT", "127.0.0.1:8443", "HTTPS address (IPv4)",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             if (!parse_host_port(v, c.listen_host, c.listen_port))
                 return "expected IPv4:PORT, e.g. 192.168.1.1:8443";
             return std::nullopt;
         }},
        {"--domain", "DOMAIN", kDefaultDomain,
         "the home domain (RFC 8375 home.arpa by default); never a public suffix",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             if (!is_valid_domain(v)) return "not a lowercase DNS domain";
             if (auto problem = home_domain_problem(v, system_public_suffixes())) return problem;
             c.policy.domain = v;
             return std::nullopt;
         }},
        {"--lan-subnet", "CIDR", "10.0.0.0/8 172.16.0.0/12 192.168.0.0/16",
         "a LAN IPv4 subnet the root may vouch for, inside the private, shared or loopback "
         "ranges; repeatable, replaces the defaults",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             const auto subnet = Ipv4Subnet::parse(v);
             if (!subnet) return "expected an IPv4 CIDR without host bits, e.g. 192.168.1.0/24";
             if (auto problem = lan_subnet_problem(*subnet)) return problem;
             c.policy.lan_subnets.push_back(*subnet);
             return std::nullopt;
         }},
        {"--lan-subnet6", "CIDR", "none: the root excludes all of IPv6",
         "a ULA IPv6 prefix (fc00::/7) the root may vouch for; repeatable",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             const auto subnet = Ipv6Subnet::parse(v);
             if (!subnet)
                 return "expected an IPv6 CIDR without host bits, e.g. fd12:3456:789a::/48";
             if (auto problem = lan_subnet6_problem(*subnet)) return problem;
             c.policy.lan_subnets6.push_back(*subnet);
             return std::nullopt;
         }},
        {"--no-local-names", "", "", "do not vouch for <name>.local (mDNS) names",
         [](ServeConfig& c, const std::string&) -> std::optional<std::string> {
             c.policy.local_names = false;
             return std::nullopt;
         }},
        {"--crl-url", "URL", "https://router.<domain>:<port>/crl",
         "CRL distribution point written into leaves",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
                 return "must be an http:// or https:// URL";
             c.policy.crl_url = v;
             return std::nullopt;
         }},
        {"--intermediate-key-secret", "FILE", "none",
         "encrypt the intermediate CA keys at rest under the secret in FILE (mode 0600, kept apart "
         "from the data directory; see docs/ca-keys.md for what this protects)",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return "must not be empty";
             c.intermediate_key_secret_file = v;
             return std::nullopt;
         }},
        {"--leaf-days", "N", "90", "leaf certificate lifetime in days (1-397)",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             const auto n = parse_int_in(v, 1, kMaxLeafDays);
             if (!n) return "must be a whole number from 1 to 397";
             c.policy.leaf_days = *n;
             return std::nullopt;
         }},
        {"--pair-seconds", "N", "120", "default length of the pairing window",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             const auto n = parse_int_in(v, 1, 3600);
             if (!n) return "must be a whole number from 1 to 3600";
             c.pairing.window = std::chrono::seconds(*n);
             return std::nullopt;
         }},
        {"--pair-guard", "SECONDS", "2",
         "wait this long after a lone request for a second one before approving (0 allowed)",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             const auto n = parse_int_in(v, 0, 60);
             if (!n) return "must be a whole number from 0 to 60";
             c.pairing.guard = std::chrono::seconds(*n);
             return std::nullopt;
         }},
        {"--dns-listen", "HOST:PORT|none", "127.0.0.1:5335",
         "authoritative DNS for the home zone, UDP and TCP; none turns it off",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             c.dns_enabled = v != "none";
             if (c.dns_enabled && !parse_host_port(v, c.dns_host, c.dns_port))
                 return "expected IPv4:PORT or none";
             return std::nullopt;
         }},
        {"--router-address", "IPV4", "the listen address",
         "the address router.<domain> resolves to (a LAN address)",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             c.router_address = Ipv4::parse(v);
             if (!c.router_address) return "expected an IPv4 address";
             return std::nullopt;
         }},
        {"--mdns", "on|off", "on", "publish the router and devices' <name>.local over mDNS (Avahi)",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             if (v != "on" && v != "off") return "expected on or off";
             c.mdns_enabled = v == "on";
             return std::nullopt;
         }},
        {"--acme-http-port", "PORT", "80",
         "where the router fetches ACME http-01 answers from devices (RFC 8555 section 8.3)",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             const auto n = parse_int_in(v, 1, 65535);
             if (!n) return "must be a port number from 1 to 65535";
             c.acme_http_port = *n;
             return std::nullopt;
         }},
        {"--acme-tls-port", "PORT", "443",
         "where the router makes ACME tls-alpn-01 handshakes with devices (RFC 8737 section 3)",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             const auto n = parse_int_in(v, 1, 65535);
             if (!n) return "must be a port number from 1 to 65535";
             c.acme_tls_port = *n;
             return std::nullopt;
         }},
        {"--http-threads", "N", "16",
         "HTTPS connections served at once, one worker thread each; more are refused",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             const auto n = parse_int_in(v, 1, 256);
             if (!n) return "must be a whole number from 1 to 256";
             c.http_connections.total = static_cast<size_t>(*n);
             return std::nullopt;
         }},
        {"--http-per-address", "N", "6",
         "HTTPS connections one client address may hold open; more are refused",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             const auto n = parse_int_in(v, 1, 256);
             if (!n) return "must be a whole number from 1 to 256";
             c.http_connections.per_address = static_cast<size_t>(*n);
             return std::nullopt;
         }},
        {"--hq-url", "URL", "none",
         "the vendor's HQ for public names and certificates (docs/hq.md); needs a private "
         "(RFC 1918) --router-address or listen address",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             if (auto problem = hq_url_problem(v)) return problem;
             c.hq_url = v;
             return std::nullopt;
         }},
        {"--hq-ca-file", "PEM", "the system's roots", "roots to verify HQ's HTTPS certificate",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return "must not be empty";
             c.hq_ca_file = v;
             return std::nullopt;
         }},
        {"--hq-credential-file", "FILE", "none",
         "the router's factory credential for HQ, one line ROUTER_ID:SECRET, mode 0600 "
         "(docs/hq.md, \"Router credentials\")",
         [](ServeConfig& c, const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return "must not be empty";
             c.hq_credential_file = v;
             return std::nullopt;
         }},
    };
    return table;
}

}  // namespace

bool parse_host_port(const std::string& text, std::string& host, int& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    const auto address = Ipv4::parse(text.substr(0, colon));
    const auto number = parse_int_in(text.substr(colon + 1), 1, 65535);
    if (!address || !number) return false;
    host = address->to_string();
    port = *number;
    return true;
}

Result<ServeConfig> parse_serve_options(const std::vector<std::string>& args) {
    ServeConfig config;
    if (auto problem = apply_options(option_table(), args, config))
        return fail(Errc::malformed, *problem);
    // Any --lan-subnet replaces the defaults as a whole: the subnets are the root's constraints.
    if (config.policy.lan_subnets.empty()) config.policy.lan_subnets = default_lan_subnets();
    if (config.router_address && !config.policy.is_lan_address(*config.router_address))
        return fail(Errc::malformed, "--router-address " + config.router_address->to_string() +
                                         " is outside the LAN subnets");
    if (config.http_connections.per_address > config.http_connections.total)
        return fail(Errc::malformed, "--http-per-address " +
                                         std::to_string(config.http_connections.per_address) +
                                         " is more than --http-threads " +
                                         std::to_string(config.http_connections.total));
    if (!config.hq_ca_file.empty() && config.hq_url.empty())
        return fail(Errc::malformed, "--hq-ca-file needs --hq-url");
    if (!config.hq_credential_file.empty() && config.hq_url.empty())
        return fail(Errc::malformed, "--hq-credential-file needs --hq-url");
    if (config.policy.crl_url.empty())
        config.policy.crl_url = "https://router." + config.policy.domain + ":" +
                                std::to_string(config.listen_port) + "/crl";
    return config;
}

std::string serve_options_help() { return options_help(option_table()); }

}  // namespace rca
