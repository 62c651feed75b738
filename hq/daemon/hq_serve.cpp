#include "hq/daemon/hq_serve.hpp"

#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/zone_holder.hpp"
#include "daemon/log.hpp"
#include "daemon/system_time.hpp"
#include "dns/dns_server.hpp"
#include "entropy/kernel_rng.hpp"
#include "files/atomic_file.hpp"
#include "hq/acme/acme_client.hpp"
#include "hq/acme/order_worker.hpp"
#include "hq/core/home_service.hpp"
#include "hq/core/powerdns_zone.hpp"
#include "hq/daemon/hq_http_api.hpp"
#include "hq/daemon/store_opening.hpp"
#include "hq/daemon/zone_publisher.hpp"
#include "hq/store/postgres_change_feed.hpp"
#include "hq/store/postgres_hq_store.hpp"

namespace hq {
namespace {

// Same limits as router-ca's API (router-ca/daemon/https_server.hpp), for the same reason:
// cpp-httplib holds a thread per connection, so slow clients must not hold them long.
constexpr time_t kIoTimeoutSeconds = 10;
constexpr size_t kKeepAliveRequests = 20;
constexpr time_t kKeepAliveSeconds = 5;

std::unique_ptr<httplib::Server> make_server(const HqConfig& config) {
    std::unique_ptr<httplib::Server> server;
    if (config.tls_cert.empty())
        server = std::make_unique<httplib::Server>();
    else
        server =
            std::make_unique<httplib::SSLServer>(config.tls_cert.c_str(), config.tls_key.c_str());
    if (!server->is_valid()) return nullptr;
    const int threads = config.http_threads;
    server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server->set_read_timeout(kIoTimeoutSeconds, 0);
    server->set_write_timeout(kIoTimeoutSeconds, 0);
    server->set_keep_alive_max_count(kKeepAliveRequests);
    server->set_keep_alive_timeout(kKeepAliveSeconds);
    // cpp-httplib writes a response's headers and body separately; with Nagle's algorithm on, the
    // body then waits for the client's delayed ACK (about 40 ms on Linux) on every keep-alive
    // request. hq_bench showed it: 99 GET /healthz per second at a 44 ms median.
    server->set_tcp_nodelay(true);
    return server;
}

// PostgreSQL: the full zone rebuild that backs up LISTEN/NOTIFY (postgres_change_feed.hpp). A
// notification lost while a connection was down is made good at most this late.
constexpr std::chrono::seconds kZoneRebuildEvery{30};
// PostgreSQL: how long the order worker waits for a challenge change to come back through the
// database before telling the CA to look (docs/hq.md, "Several instances").
constexpr std::chrono::milliseconds kRoundTripTimeout{5000};

// The name this instance claims orders under: --instance-name, else HOSTNAME-PID (unique among
// live instances, and a restarted one is a new claimant).
std::string instance_name(const HqConfig& config) {
    if (!config.instance_name.empty()) return config.instance_name;
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host[0] ? host : "hq") + "-" + std::to_string(::getpid());
}

}  // namespace

int run_hq_serve(const HqConfig& config) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started below
    std::signal(SIGPIPE, SIG_IGN);
    // Nothing HQ creates (database, journal, account key) is for other users' eyes.
    ::umask(077);

    rca::SystemTime clock;
    // getrandom() only (entropy/kernel_rng.hpp), shared with router and device; stateless, so
    // the API's threads may draw home names and order ids from it at once.
    rca::entropy::KernelRng rng;
    try {
        rng.wait_until_ready(rca::log_line);  // a fresh VM's first boot is a cold boot too
    } catch (const std::runtime_error& e) {
        rca::log_line(e.what());
        return kHqExitAccountKey;
    }

    const std::string instance = instance_name(config);
    std::unique_ptr<HqStore> store;
    try {
        store = open_store(config, instance);
    } catch (const std::exception& e) {
        rca::log_line(std::string("cannot open the store: ") + e.what());
        return kHqExitStore;
    }

    std::unique_ptr<Botan::Private_Key> account_key;
    const std::string key_path = config.data_dir + "/acme-account.key";
    try {
        const bool existed = rca::files::exists(key_path);
        account_key = load_or_create_account_key(key_path, rng);
        rca::log_line(std::string(existed ? "loaded" : "created") + " the ACME account key " +
                      key_path);
    } catch (const std::exception& e) {
        rca::log_line(std::string("cannot load or create the ACME account key: ") + e.what());
        return kHqExitAccountKey;
    }

    AcmeClient client(config.acme_directory, config.acme_ca_file, *account_key, rng);
    // Several instances: one ACME account for all (postgres_migrations/002_acme_account.sql).
    if (auto* shared = dynamic_cast<PostgresHqStore*>(store.get())) {
        try {
            const std::string recorded = shared->shared_account(client.thumbprint());
            if (recorded != client.thumbprint()) {
                rca::log_line("the ACME account key " + key_path + " (thumbprint " +
                              client.thumbprint() + ") is not the one the other instances on " +
                              "this database use (thumbprint " + recorded + "): copy their " +
                              "acme-account.key into " + config.data_dir + " (mode 0600)");
                return kHqExitAccountKey;
            }
        } catch (const std::exception& e) {
            rca::log_line(std::string("cannot record the ACME account in the store: ") + e.what());
            return kHqExitStore;
        }
        // The zone PowerDNS serves from this database (hq/powerdns/README.md). Its SOA serial is
        // the Unix time it was made: it changes only with the apex, since PowerDNS servers read
        // the same rows and no zone is transferred.
        try {
            const auto serial = static_cast<uint32_t>(
                std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch())
                    .count());
            if (shared->serve_powerdns_zone(powerdns_zone(config.zone, serial)))
                rca::log_line("PowerDNS tables: zone " + config.zone + " made from the store");
        } catch (const std::exception& e) {
            rca::log_line(std::string("cannot serve the zone in the PowerDNS tables: ") + e.what());
            return kHqExitStore;
        }
    }

    rca::ZoneHolder zones;
    ZonePublisher publisher(*store, config.zone, zones);
    // Several instances on one PostgreSQL database: rebuild this one's zone when another changes
    // records or challenges. LISTEN comes before the first build, so a change committed between
    // the two is heard rather than missed until the periodic rebuild.
    std::unique_ptr<PostgresChangeFeed> feed;
    if (!config.postgres_url.empty()) {
        feed = std::make_unique<PostgresChangeFeed>(
            config.postgres_url, instance, kZoneRebuildEvery,
            [&publisher](const std::set<std::string>& homes) { publisher.publish_homes(homes); },
            [&publisher] { publisher.publish_all(); });
        try {
            feed->start();
        } catch (const std::exception& e) {
            rca::log_line(std::string("cannot listen for zone changes: ") + e.what());
            return kHqExitStore;
        }
    }
    publisher.publish_all();
    rca::dns::DnsServer dns(config.dns_host, config.dns_port, zones);
    try {
        dns.start();
    } catch (const std::exception& e) {
        rca::log_line(std::string("cannot serve DNS: ") + e.what());
        return kHqExitDns;
    }

    // A challenge TXT must be on every instance's name server before the CA is told to look
    // (RFC 8555 §8.4; the CA may ask any of them): with PostgreSQL, wait until the change has
    // been sent to every instance's feed.
    auto challenges_changed = [&publisher, &feed](const std::string& home) {
        publisher.publish_home(home);
        if (feed && !feed->round_trip(kRoundTripTimeout))
            rca::log_line("zone change feed: no round trip within " +
                          std::to_string(kRoundTripTimeout.count()) +
                          " ms; other instances may answer the challenge late");
    };
    OrderWorker worker(*store, client, clock, challenges_changed);
    HomeService service(*store, config.zone, config.limits, rng, clock,
                        [&publisher](const std::string& home) { publisher.publish_home(home); });

    auto server = make_server(config);
    if (!server) {
        rca::log_line("cannot set up the API's TLS from --tls-cert " + config.tls_cert +
                      " and --tls-key");
        return kHqExitHttp;
    }
    // Unauthenticated endpoints get a per-source budget (docs/hq.md, "Router credentials").
    SourceLimiter source_limiter(config.source_limit, rng);
    add_hq_routes(*server, service, source_limiter, clock, [&worker] { worker.wake(); });
    if (!server->bind_to_port(config.listen_host.c_str(), config.listen_port)) {
        rca::log_line("cannot listen on " + config.listen_host + ":" +
                      std::to_string(config.listen_port));
        return kHqExitHttp;
    }
    worker.start();  // resumes every order a previous run left pending

    // Signals are taken synchronously by this thread, so no handler runs on an arbitrary one.
    std::thread signals([&set, &server] {
        int sig = 0;
        sigwait(&set, &sig);
        rca::log_line(std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
        server->stop();
    });
    rca::log_line("serving zone " + config.zone + ": API " +
                  (config.tls_cert.empty() ? "http://" : "https://") + config.listen_host + ":" +
                  std::to_string(config.listen_port) + ", DNS " + config.dns_host + ":" +
                  std::to_string(dns.port()) + ", ACME " + config.acme_directory);
    server->listen_after_bind();
    signals.join();
    worker.stop();
    if (feed) feed->stop();
    dns.stop();
    return kHqExitOk;
}

}  // namespace hq
