#include "hq/daemon/hq_config.hpp"

#include <libpq-fe.h>

#include "common/option_table.hpp"
#include "core/home_policy.hpp"
#include "core/ipv4.hpp"

namespace hq {
namespace {

using rca::parse_int_in;
using OptionSpec = rca::OptionSpec<HqConfig>;
using Problem = std::optional<std::string>;

// "IPv4:PORT" into host and port.
Problem host_port(const std::string& text, std::string& host, int& port) {
    const auto colon = text.rfind(':');
    const auto address =
        colon == std::string::npos ? std::nullopt : rca::Ipv4::parse(text.substr(0, colon));
    const auto number =
        colon == std::string::npos ? std::nullopt : parse_int_in(text.substr(colon + 1), 0, 65535);
    if (!address || !number) return "expected IPv4:PORT, e.g. 127.0.0.1:8444 (port 0: any free)";
    host = address->to_string();
    port = *number;
    return std::nullopt;
}

// --db: sqlite:PATH, or a PostgreSQL URI that libpq can parse (checked now, so a typo is a usage
// error rather than a failed start). The message never repeats the URI or any part of it.
Problem database(HqConfig& c, const std::string& v) {
    const std::string sqlite = "sqlite:";
    if (v.rfind(sqlite, 0) == 0 && v.size() > sqlite.size()) {
        c.db_path = v.substr(sqlite.size());
        c.postgres_url.clear();
        return std::nullopt;
    }
    if (v.rfind("postgresql://", 0) != 0 && v.rfind("postgres://", 0) != 0)
        return "expected sqlite:PATH or postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB[?...]";
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(v.c_str(), &error);
    if (!options) {
        // libpq's own message is not passed on: for a bad %-escape it quotes the decoded
        // component, which may be the password ("invalid percent-encoded token: \"se%cret\"").
        PQfreemem(error);
        return "not a PostgreSQL URI libpq accepts (check the %-escapes in the user, password and "
               "options: a literal % is written %25)";
    }
    PQconninfoFree(options);
    c.postgres_url = v;
    return std::nullopt;
}

Problem nonempty(std::string& field, const std::string& value) {
    if (value.empty()) return "must not be empty";
    field = value;
    return std::nullopt;
}

const std::vector<OptionSpec>& option_table() {
    static const std::vector<OptionSpec> table = {
        {"--data-dir", "DIR", "hq-data", "where the ACME account key and the database live",
         [](HqConfig& c, const std::string& v) { return nonempty(c.data_dir, v); }},
        {"--zone", "ZONE", "", "the vendor zone homes live under (required)",
         [](HqConfig& c, const std::string& v) -> Problem {
             if (!rca::is_valid_domain(v)) return "not a lowercase DNS domain";
             c.zone = v;
             return std::nullopt;
         }},
        {"--listen", "HOST:PORT", "127.0.0.1:8444", "the API's address",
         [](HqConfig& c, const std::string& v) {
             return host_port(v, c.listen_host, c.listen_port);
         }},
        {"--dns-listen", "HOST:PORT", "127.0.0.1:53", "authoritative DNS for ZONE (UDP and TCP)",
         [](HqConfig& c, const std::string& v) { return host_port(v, c.dns_host, c.dns_port); }},
        {"--acme-directory", "URL", "", "the public CA's ACME directory (required)",
         [](HqConfig& c, const std::string& v) -> Problem {
             if (v.rfind("https://", 0) != 0) return "must be an https:// URL (RFC 8555 §6.1)";
             c.acme_directory = v;
             return std::nullopt;
         }},
        {"--acme-ca-file", "PEM", "",
         "CA certificates to trust for the ACME server's HTTPS "
         "(default: the system's roots)",
         [](HqConfig& c, const std::string& v) { return nonempty(c.acme_ca_file, v); }},
        {"--db", "sqlite:PATH|postgresql://...", "sqlite:DIR/hq.db",
         "the database: SQLite for one instance, PostgreSQL for several sharing it", database,
         /*secret=*/true},
        {"--order-lease", "SECONDS", "120",
         "PostgreSQL: how long an order claimed by this instance is its own; a dead instance's "
         "orders move on after it",
         [](HqConfig& c, const std::string& v) -> Problem {
             const auto n = parse_int_in(v, 2, 3600);
             if (!n) return "must be a whole number of seconds from 2 to 3600";
             c.order_lease = std::chrono::seconds(*n);
             return std::nullopt;
         }},
        {"--instance-name", "NAME", "HOSTNAME-PID",
         "PostgreSQL: the name this instance claims orders under (in the orders table and logs)",
         [](HqConfig& c, const std::string& v) { return nonempty(c.instance_name, v); }},
        {"--tls-cert", "PEM", "", "serve the API over HTTPS with this certificate chain",
         [](HqConfig& c, const std::string& v) { return nonempty(c.tls_cert, v); }},
        {"--tls-key", "PEM", "", "the private key of --tls-cert",
         [](HqConfig& c, const std::string& v) { return nonempty(c.tls_key, v); }},
        {"--max-pending-orders", "N", "5", "certificate orders one home may have in progress",
         [](HqConfig& c, const std::string& v) -> Problem {
             const auto n = parse_int_in(v, 1, 1000);
             if (!n) return "must be a whole number from 1 to 1000";
             c.limits.max_pending = static_cast<size_t>(*n);
             return std::nullopt;
         }},
        {"--max-certs-per-week", "N", "40", "certificates one home may order in 7 days",
         [](HqConfig& c, const std::string& v) -> Problem {
             const auto n = parse_int_in(v, 1, 100000);
             if (!n) return "must be a whole number from 1 to 100000";
             c.limits.max_per_week = static_cast<size_t>(*n);
             return std::nullopt;
         }},
        {"--http-threads", "N", "8", "API worker threads (one per open connection)",
         [](HqConfig& c, const std::string& v) -> Problem {
             const auto n = parse_int_in(v, 1, 256);
             if (!n) return "must be a whole number from 1 to 256";
             c.http_threads = *n;
             return std::nullopt;
         }},
        {"--source-rate", "N", "300",
         "unauthenticated requests (registration, order polls) per minute one source address "
         "may keep up (an IPv6 source counts by its /64); 429 with Retry-After beyond it",
         [](HqConfig& c, const std::string& v) -> Problem {
             const auto n = parse_int_in(v, 1, 6000000);
             if (!n) return "must be a whole number from 1 to 6000000";
             c.source_limit.per_second = *n / 60.0;
             return std::nullopt;
         }},
        {"--source-burst", "N", "60",
         "unauthenticated requests one source address may make at once after a quiet spell",
         [](HqConfig& c, const std::string& v) -> Problem {
             const auto n = parse_int_in(v, 1, 1000000);
             if (!n) return "must be a whole number from 1 to 1000000";
             c.source_limit.burst = *n;
             return std::nullopt;
         }},
    };
    return table;
}

}  // namespace

std::variant<HqConfig, std::string> parse_hq_options(const std::vector<std::string>& args) {
    HqConfig config;
    if (auto problem = rca::apply_options(option_table(), args, config)) return *problem;
    if (config.zone.empty()) return std::string("--zone is required");
    if (config.acme_directory.empty()) return std::string("--acme-directory is required");
    if (config.tls_cert.empty() != config.tls_key.empty())
        return std::string("--tls-cert and --tls-key go together");
    if (config.db_path.empty()) config.db_path = config.data_dir + "/hq.db";
    return config;
}

std::variant<HqConfig, std::string> parse_hq_store_options(const std::vector<std::string>& args) {
    // The same rows of the one table, so the two commands read a store the same way.
    std::vector<OptionSpec> store_rows;
    for (const auto& spec : option_table())
        if (std::string(spec.flag) == "--data-dir" || std::string(spec.flag) == "--db")
            store_rows.push_back(spec);
    HqConfig config;
    if (auto problem = rca::apply_options(store_rows, args, config)) return *problem;
    if (config.db_path.empty()) config.db_path = config.data_dir + "/hq.db";
    return config;
}

std::string hq_options_help() { return rca::options_help(option_table()); }

}  // namespace hq
