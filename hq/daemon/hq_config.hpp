#pragma once
// `hq serve`'s configuration, built and validated once before anything starts (house style #8),
// from one option table that also makes --help (house style #9).
#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "hq/core/order_limits.hpp"
#include "hq/core/source_limiter.hpp"

namespace hq {

/// Everything `hq serve` needs to know.
struct HqConfig {
    std::string data_dir = "hq-data";
    std::string zone;  ///< required: the vendor zone homes live under
    std::string listen_host = "127.0.0.1";
    int listen_port = 8444;  ///< 8444: beside router-ca's 8443 on a test machine
    std::string dns_host = "127.0.0.1";
    int dns_port = 53;  ///< authoritative DNS for the zone: the standard port in production
    std::string acme_directory;  ///< required: the public CA's directory URL
    std::string
        acme_ca_file;     ///< trust for the CA's HTTPS (Pebble's test CA); system roots if empty
    std::string db_path;  ///< SQLite file; DATA/hq.db unless --db sqlite:PATH
    /// A PostgreSQL connection URI (--db postgresql://...); when set, db_path is unused. It may
    /// hold a password: never log it.
    std::string postgres_url;
    /// How long an order claimed by this instance stays its own (PostgreSQL only): long enough
    /// for one pass of the order worker, short enough that a dead instance's orders move on soon.
    std::chrono::seconds order_lease{120};
    /// The name this instance claims orders under (PostgreSQL only); HOSTNAME-PID if empty.
    std::string instance_name;
    std::string tls_cert;  ///< HTTPS for the API when both are given
    std::string tls_key;
    OrderLimits limits;
    /// API worker threads: cpp-httplib holds one per connection, so this bounds memory.
    int http_threads = 8;
    /// The per-source budget of unauthenticated requests (registration, order polls).
    SourceLimit source_limit;
};

/// Parses `serve` options (argv after the subcommand); the error names the option and the problem.
std::variant<HqConfig, std::string> parse_hq_options(const std::vector<std::string>& args);

/// Parses the options that name the store (--data-dir, --db) for `hq routers`; any other option
/// of `serve` is refused. db_path gets its default as in serve.
std::variant<HqConfig, std::string> parse_hq_store_options(const std::vector<std::string>& args);

/// The option table rendered as help text.
std::string hq_options_help();

}  // namespace hq
