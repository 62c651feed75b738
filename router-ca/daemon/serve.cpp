#include "daemon/serve.hpp"

#include <sys/stat.h>

#include <csignal>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>

#include "admin/admin_http_api.hpp"
#include "admin/pairing_view.hpp"
#include "core/certificate_signer.hpp"
#include "core/enrolment_service.hpp"
#include "daemon/acme_api.hpp"
#include "daemon/admin_commands.hpp"
#include "daemon/ca_files.hpp"
#include "daemon/ca_keys.hpp"
#include "daemon/challenge_fetcher.hpp"
#include "daemon/control_socket.hpp"
#include "daemon/data_paths.hpp"
#include "daemon/heap_tuning.hpp"
#include "daemon/hq_client.hpp"
#include "daemon/hq_link.hpp"
#include "daemon/hq_router_credential.hpp"
#include "daemon/http_api.hpp"
#include "daemon/https_server.hpp"
#include "daemon/local_addresses.hpp"
#include "daemon/log.hpp"
#include "daemon/name_service.hpp"
#include "daemon/problem.hpp"
#include "daemon/public_certificate_api.hpp"
#include "daemon/router_certificate.hpp"
#include "daemon/router_public_certificate.hpp"
#include "daemon/sni_identity.hpp"
#include "daemon/system_time.hpp"
#include "daemon/tls_identity.hpp"
#include "dns/dns_server.hpp"
#include "entropy/kernel_rng.hpp"
#include "files/atomic_file.hpp"
#include "mdns/publisher_factory.hpp"
#include "net/neighbour_table.hpp"
#include "store/sqlite_store.hpp"

namespace rca {
namespace {

// Signals are taken synchronously by the main loop (sigtimedwait), so no handler runs on an
// arbitrary thread in the middle of SQLite or OpenSSL.
sigset_t daemon_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

timespec until(TimePoint deadline, TimePoint now) {
    auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now);
    if (left.count() < 1000000) left = std::chrono::milliseconds(1);
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(left.count() / 1000000000);
    ts.tv_nsec = static_cast<long>(left.count() % 1000000000);
    return ts;
}

// How often the router checks its own certificate: it is renewed in the last third of its life
// (30 of 90 days), so an hourly look is far more than enough and costs two file reads.
constexpr auto kMaintenanceInterval = std::chrono::hours(1);

// The event loop: sleep until the service's next deadline or a signal, then let time act;
// `maintain` runs every kMaintenanceInterval.
void run_loop(EnrolmentService& service, const TimeSource& clock,
              const std::function<void()>& maintain) {
    const sigset_t set = daemon_signals();
    TimePoint next_maintenance = clock.now() + kMaintenanceInterval;
    for (;;) {
        service.tick();
        if (clock.now() >= next_maintenance) {
            maintain();
            next_maintenance = clock.now() + kMaintenanceInterval;
        }
        const timespec wait = until(service.next_deadline(), clock.now());
        const int sig = sigtimedwait(&set, nullptr, &wait);
        if (sig == SIGINT || sig == SIGTERM) {
            log_line(std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
            return;
        }
        if (sig == SIGHUP) log_line("SIGHUP: options are read at start; restart to change them");
    }
}

}  // namespace

int run_serve(const ServeConfig& config) {
    const sigset_t set = daemon_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started below
    std::signal(SIGPIPE, SIG_IGN);
    // Nothing router-ca creates (database, journal, keys, socket) is for other users' eyes.
    ::umask(077);
    tune_heap_for_router();

    const DataPaths paths{config.data_dir};
    SystemTime clock;
    // The CA's keys are made here, on a router's first boot, when the kernel's pool may not be
    // initialised yet: wait for it (entropy/kernel_rng.hpp), saying so.
    entropy::KernelRng rng;
    try {
        rng.wait_until_ready(log_line);
    } catch (const std::runtime_error& e) {
        log_line(e.what());
        return kExitCa;
    }

    std::unique_ptr<SqliteStore> store;
    try {
        files::make_dirs(paths.dir, 0700);
        store = std::make_unique<SqliteStore>(paths.database());
    } catch (const std::exception& e) {
        log_line(std::string("cannot open the store: ") + e.what());
        return kExitStore;
    }

    std::string key_secret;
    if (!config.intermediate_key_secret_file.empty()) {
        auto secret = read_key_secret(config.intermediate_key_secret_file);
        if (!secret) {
            log_line(secret.error().detail);
            return kExitCa;
        }
        key_secret = secret.value();
    }
    bool created = false;
    auto ca = load_or_create_ca(paths, config.policy, rng, clock.now(), created, key_secret);
    if (!ca) {
        log_line(ca.error().detail);
        return kExitCa;
    }
    log_line(std::string(created ? "created" : "loaded") + " the CA in " + paths.ca_dir() +
             "; root SHA-256 " + sha256_fingerprint(ca.value().root.cert) +
             (ca.value().root.key ? "" : "; root key: offline"));
    Issuer issuer(ca.value().intermediate, ca.value().root.cert, config.policy, ca.value().earlier);
    EnrolmentService service(*store, issuer, config.pairing, clock, rng);

    const auto addresses = certificate_addresses(config.listen_host, config.policy);
    std::unique_ptr<TlsIdentity> identity;
    std::string router_serial;
    try {
        router_serial = serial_hex(
            ensure_router_certificate(paths, service, issuer, addresses, rng, clock.now()));
        identity = std::make_unique<TlsIdentity>(paths.server_cert(), paths.server_key());
    } catch (const std::exception& e) {
        log_line(std::string("cannot issue the router's certificate: ") + e.what());
        return kExitRouterCertificate;
    }
    // A router runs for months: renew its own certificate in place and serve the new one from the
    // next handshake on, rather than letting it expire between restarts.
    std::mutex router_certificate_mutex;  // the loop and a rotation on the control socket
    const auto keep_router_certificate = [&] {
        const std::lock_guard<std::mutex> lock(router_certificate_mutex);
        try {
            const auto serial = serial_hex(
                ensure_router_certificate(paths, service, issuer, addresses, rng, clock.now()));
            if (serial == router_serial) return;
            identity->reload();
            router_serial = serial;
            log_line("renewed the router's TLS certificate (serial " + serial + ")");
        } catch (const std::exception& e) {
            log_line(std::string("cannot renew the router's certificate, will retry: ") + e.what());
        }
    };
    // After a rotation the router's own certificate moves to the new intermediate at once.
    CaKeys ca_keys(paths, issuer, std::move(ca.value().root.key), key_secret, rng,
                   keep_router_certificate);
    if (ca_keys.old_root()) log_line(std::string("warning: ") + kOldRootWarning);
    ca_keys.maintain(clock.now());
    // Names: the home zone over DNS and <name>.local over mDNS follow every change of devices.
    const std::optional<Ipv4> router_address =
        config.router_address
            ? config.router_address
            : (addresses.empty() ? std::nullopt : std::optional<Ipv4>(addresses.front()));
    // A device's certificate never names these (issue 15, part 2); read again hourly, since an
    // interface may come up after the daemon.
    std::string own_listed;
    const auto keep_own_addresses = [&] {
        const auto own = own_addresses(config.listen_host, router_address);
        std::string listed;
        for (const Ipv4 a : own) listed += (listed.empty() ? "" : ", ") + a.to_string();
        if (listed == own_listed) return;
        service.set_router_addresses(own);
        own_listed = listed;
        log_line("device certificates never name the router's own addresses: " + listed);
    };
    keep_own_addresses();
    // An address withheld from a device, a device possibly cloned: the audit log has them too.
    service.set_warning_listener([](const AuditEvent& e) {
        log_line("warning: " + e.event + " " + e.subject + ": " + e.detail);
    });
    ZoneHolder zones;
    const auto mdns = make_mdns_publisher(config.mdns_enabled, log_line);
    // Filled by the HQ link once HQ has registered the home; empty without --hq-url.
    PublicHomeHolder public_home;
    NameService names(*store, config.policy, router_address, public_home, zones, *mdns);
    names.refresh();
    std::unique_ptr<HqClient> hq_client;
    std::unique_ptr<HqLink> hq_link;
    if (!config.hq_url.empty()) {
        // HQ publishes only RFC 1918 addresses: router.<home>.<ZONE> must be one.
        if (!router_address || !is_rfc1918(*router_address)) {
            log_line("--hq-url needs a private (RFC 1918) address for router.<home>.<ZONE>; " +
                     std::string(router_address ? router_address->to_string() + " is not one"
                                                : "the router has none") +
                     ": set --router-address");
            return kExitHq;
        }
        std::string router_login;
        if (config.hq_credential_file.empty()) {
            log_line(
                "no --hq-credential-file: HQ registers only routers with a factory "
                "credential, and will refuse this one");
        } else {
            auto login = read_hq_router_credential(config.hq_credential_file);
            if (!login) {
                log_line(login.error().detail);
                return kExitHq;
            }
            router_login = std::move(login).value();
        }
        hq_client = std::make_unique<HqClient>(config.hq_url, config.hq_ca_file, router_login);
        try {
            hq_link =
                std::make_unique<HqLink>(*hq_client, paths, *store, public_home, *router_address,
                                         clock, rng, [&names] { names.refresh(); });
        } catch (const std::exception& e) {
            log_line(e.what());
            return kExitHq;
        }
    }
    service.set_change_listener([&names, &hq_link] {
        names.refresh();
        if (hq_link) hq_link->devices_changed();
    });
    std::unique_ptr<dns::DnsServer> dns;
    std::string dns_endpoint = "off";
    if (config.dns_enabled) {
        try {
            dns = std::make_unique<dns::DnsServer>(config.dns_host, config.dns_port, zones);
            dns->start();
        } catch (const std::exception& e) {
            log_line(std::string("cannot serve DNS: ") + e.what());
            return kExitDns;
        }
        dns_endpoint = config.dns_host + ":" + std::to_string(dns->port());
        log_line("answering DNS for " + config.policy.domain + " on " + dns_endpoint +
                 " (UDP and TCP)");
    }
    mdns->advertise_router({config.listen_port, sha256_fingerprint(issuer.root()),
                            config.policy.domain, "/api/v1", ""});

    if (addresses.empty())
        log_line("note: " + config.listen_host +
                 " is outside the LAN subnets, so the router's certificate names only " +
                 config.policy.fqdn(kRouterName) + "; clients must connect by that name");

    // The local certificate, and the public one for router.<home>.<ZONE> once HQ obtained it.
    SniIdentity identities(*identity);
    std::unique_ptr<RouterPublicCertificate> public_certificate;
    if (hq_link) {
        public_certificate =
            std::make_unique<RouterPublicCertificate>(paths, *hq_client, identities, clock, rng);
        if (const auto home = public_home.get()) public_certificate->serve_stored_at_start(*home);
        hq_link->add_duty([&public_certificate](const HomeRegistration& registration) {
            return public_certificate->maintain(registration);
        });
    }
    std::unique_ptr<HttpsServer> server;
    try {
        server = std::make_unique<HttpsServer>(identities, config.http_connections,
                                               config.listen_host, config.listen_port);
    } catch (const std::exception& e) {
        log_line(std::string("cannot serve HTTPS: ") + e.what());
        return kExitHttps;
    }
    ChallengeFetcher challenges;
    acme::AcmeSettings acme_settings;
    acme_settings.http01_port = static_cast<uint16_t>(config.acme_http_port);
    acme_settings.tls_alpn01_port = static_cast<uint16_t>(config.acme_tls_port);
    acme::AcmeService acme(*store, *store, service, issuer, challenges, clock, rng, acme_settings);
    register_device_api(server->routes(), service, issuer, public_home,
                        [&acme](const httplib::Request& req, httplib::Response& res) {
                            return answer_acme_error(acme, req, res);
                        });
    register_public_certificate_api(server->routes(), service, hq_link.get());
    // A new ACME account's answer waits for the pairing window's guard, plus a second for the
    // loop's tick to act on it.
    register_acme_api(server->routes(), acme, config.pairing.guard + std::chrono::seconds(2));
    const std::string url =
        "https://" + config.listen_host + ":" + std::to_string(config.listen_port);

    // Setup and login hash passwords in these slots: their number bounds the memory a flood of
    // logins can take (admin/hashing_slots.hpp).
    admin::HashingSlots hashing_slots;
    admin::AdminAccount account(*store, clock, rng, hashing_slots);
    AdminContext admin{service,
                       *store,
                       issuer,
                       clock,
                       config.pairing.window,
                       url,
                       dns_endpoint,
                       *mdns,
                       &account,
                       &acme,
                       [&ca_keys](TimePoint now) { return ca_keys.status_json(now); },
                       [&hq_link, &public_certificate] {
                           if (!hq_link) return nlohmann::json{{"state", "off"}};
                           auto j = hq_link->status_json();
                           j["router_certificate"] = public_certificate->status_json();
                           return j;
                       },
                       neighbour_mac};
    // An overlap is what a parked request meets: the admin hears of it in the log too, with who
    // took part (the same details status and the web UI show).
    service.set_overlap_listener(
        [&admin](const std::vector<std::string>& ids) { log_line(overlap_alert(ids, admin)); });
    AdminUi ui{admin, rng, paths, [&store](const std::string& to) { store->snapshot_to(to); },
               send_problem};
    register_admin_ui(server->routes(), ui);
    if (const auto code = account.setup_code())
        log_line("first run: open " + url + "/ and enter the one-time setup code " + *code +
                 " (also shown by: router-ca setup-code --data-dir " + paths.dir + ")");
    std::unique_ptr<ControlSocketServer> control;
    try {
        control = std::make_unique<ControlSocketServer>(
            paths.control_socket(), [&admin, &ca_keys](const std::string& line) {
                return handle_admin_command(line, admin, &ca_keys);
            });
    } catch (const std::exception& e) {
        log_line(std::string("cannot open the control socket: ") + e.what());
        return kExitControlSocket;
    }
    control->start();
    server->start();
    // After everything local is up: the link never delays a start (HQ may be down or absent).
    if (hq_link) hq_link->start();
    log_line("serving " + url + " for " + config.policy.domain + " (data in " + paths.dir +
             "; at most " + std::to_string(config.http_connections.total) + " connections, " +
             std::to_string(config.http_connections.per_address) + " per client address)");

    run_loop(service, clock, [&] {
        keep_own_addresses();
        keep_router_certificate();
        ca_keys.maintain(clock.now());
        acme.purge();
    });

    if (hq_link) hq_link->stop();
    server->stop();
    log_line("HTTPS refused " + std::to_string(server->refused()) +
             " connections over the limits since start");
    control.reset();
    if (dns) dns->stop();
    service.set_change_listener(nullptr);
    service.set_overlap_listener(nullptr);
    service.set_warning_listener(nullptr);
    return kExitOk;
}

}  // namespace rca
