#include "daemon/router_daemon.hpp"

#include <chrono>
#include <utility>

#include "admin/pairing_view.hpp"
#include "core/certificate_signer.hpp"
#include "daemon/admin_commands.hpp"
#include "daemon/ca_files.hpp"
#include "daemon/hq_router_credential.hpp"
#include "daemon/http_api.hpp"
#include "daemon/local_addresses.hpp"
#include "daemon/log.hpp"
#include "daemon/problem.hpp"
#include "daemon/public_certificate_api.hpp"
#include "daemon/serve.hpp"
#include "files/atomic_file.hpp"
#include "mdns/publisher_factory.hpp"
#include "net/neighbour_table.hpp"

namespace rca {

// Start-up, one init step after the other; each step's failure has its own exit code (serve.hpp).
RouterDaemon::RouterDaemon(const ServeConfig& config) : config_(config), paths_{config.data_dir} {
    // The CA's keys are made here, on a router's first boot, when the kernel's pool may not be
    // initialised yet: wait for it (entropy/kernel_rng.hpp), saying so.
    try {
        rng_.wait_until_ready(log_line);
    } catch (const std::runtime_error& e) {
        throw StartFailure(kExitCa, e.what());
    }
    open_store();
    load_ca();
    issue_router_certificate();
    // After a rotation the router's own certificate moves to the new intermediate at once.
    ca_keys_ = std::make_unique<CaKeys>(paths_, *issuer_, std::move(root_key_), key_secret_, rng_,
                                        [this] { router_certificate_->keep(); });
    if (ca_keys_->old_root()) log_line(std::string("warning: ") + kOldRootWarning);
    ca_keys_->maintain(clock_.now());
    router_address_ = config_.router_address ? config_.router_address
                      : certificate_addresses_.empty()
                          ? std::nullopt
                          : std::optional<Ipv4>(certificate_addresses_.front());
    keep_own_addresses();
    build_names();
    link_hq();
    serve_dns();
    mdns_->advertise_router({config_.listen_port, sha256_fingerprint(issuer_->root()),
                             config_.policy.domain, "/api/v1", ""});
    if (certificate_addresses_.empty())
        log_line("note: " + config_.listen_host +
                 " is outside the LAN subnets, so the router's certificate names only " +
                 config_.policy.fqdn(kRouterName) + "; clients must connect by that name");
    build_https();
    build_admin();
    open_control_socket();
    wire_enrolment_effects();
}

RouterDaemon::~RouterDaemon() { stop(); }

void RouterDaemon::open_store() {
    try {
        files::make_dirs(paths_.dir, 0700);
        store_ = std::make_unique<SqliteStore>(paths_.database());
    } catch (const std::exception& e) {
        throw StartFailure(kExitStore, std::string("cannot open the store: ") + e.what());
    }
}

void RouterDaemon::load_ca() {
    if (!config_.intermediate_key_secret_file.empty()) {
        auto secret = read_key_secret(config_.intermediate_key_secret_file);
        if (!secret) throw StartFailure(kExitCa, secret.error().detail);
        key_secret_ = secret.value();
    }
    bool created = false;
    auto ca = load_or_create_ca(paths_, config_.policy, rng_, clock_.now(), created, key_secret_);
    if (!ca) throw StartFailure(kExitCa, ca.error().detail);
    log_line(std::string(created ? "created" : "loaded") + " the CA in " + paths_.ca_dir() +
             "; root SHA-256 " + sha256_fingerprint(ca.value().root.cert) +
             (ca.value().root.key ? "" : "; root key: offline"));
    issuer_ = std::make_unique<Issuer>(ca.value().intermediate, ca.value().root.cert,
                                       config_.policy, ca.value().earlier);
    root_key_ = std::move(ca.value().root.key);
    service_ = std::make_unique<EnrolmentService>(*store_, *issuer_, config_.pairing, clock_, rng_);
}

void RouterDaemon::issue_router_certificate() {
    certificate_addresses_ = certificate_addresses(config_.listen_host, config_.policy);
    try {
        router_certificate_ = std::make_unique<RouterCertificateKeeper>(
            paths_, *service_, *issuer_, certificate_addresses_, rng_, clock_);
    } catch (const std::exception& e) {
        throw StartFailure(kExitRouterCertificate,
                           std::string("cannot issue the router's certificate: ") + e.what());
    }
}

// A device's certificate never names these (issue 15, part 2); read again hourly, since an
// interface may come up after the daemon.
void RouterDaemon::keep_own_addresses() {
    const auto own = own_addresses(config_.listen_host, router_address_);
    std::string listed;
    for (const Ipv4 a : own) listed += (listed.empty() ? "" : ", ") + a.to_string();
    if (listed == own_addresses_listed_) return;
    service_->set_router_addresses(own);
    own_addresses_listed_ = listed;
    log_line("device certificates never name the router's own addresses: " + listed);
}

// Names: the home zone over DNS and <name>.local over mDNS follow every change of devices.
void RouterDaemon::build_names() {
    mdns_ = make_mdns_publisher(config_.mdns_enabled, log_line);
    names_ = std::make_unique<NameService>(*store_, config_.policy, router_address_, public_home_,
                                           zones_, *mdns_);
    names_->refresh();
}

void RouterDaemon::link_hq() {
    if (config_.hq_url.empty()) return;
    // HQ publishes only RFC 1918 addresses: router.<home>.<ZONE> must be one.
    if (!router_address_ || !is_rfc1918(*router_address_))
        throw StartFailure(
            kExitHq, "--hq-url needs a private (RFC 1918) address for router.<home>.<ZONE>; " +
                         std::string(router_address_ ? router_address_->to_string() + " is not one"
                                                     : "the router has none") +
                         ": set --router-address");
    std::string router_login;
    if (config_.hq_credential_file.empty()) {
        log_line(
            "no --hq-credential-file: HQ registers only routers with a factory credential, and "
            "will refuse this one");
    } else {
        auto login = read_hq_router_credential(config_.hq_credential_file);
        if (!login) throw StartFailure(kExitHq, login.error().detail);
        router_login = std::move(login).value();
    }
    hq_client_ = std::make_unique<HqClient>(config_.hq_url, config_.hq_ca_file, router_login);
    try {
        hq_link_ =
            std::make_unique<HqLink>(*hq_client_, paths_, *store_, public_home_, *router_address_,
                                     clock_, rng_, [this] { names_->refresh(); });
    } catch (const std::exception& e) {
        throw StartFailure(kExitHq, e.what());
    }
}

void RouterDaemon::serve_dns() {
    if (!config_.dns_enabled) return;
    try {
        dns_ = std::make_unique<dns::DnsServer>(config_.dns_host, config_.dns_port, zones_);
        dns_->start();
    } catch (const std::exception& e) {
        throw StartFailure(kExitDns, std::string("cannot serve DNS: ") + e.what());
    }
    dns_endpoint_ = config_.dns_host + ":" + std::to_string(dns_->port());
    log_line("answering DNS for " + config_.policy.domain + " on " + dns_endpoint_ +
             " (UDP and TCP)");
}

// The HTTPS listener (bound here, served from start()) and its device, public certificate and
// ACME routes. It presents the local certificate, and the public one for router.<home>.<ZONE>
// once HQ obtained it.
void RouterDaemon::build_https() {
    identities_ = std::make_unique<SniIdentity>(router_certificate_->identity());
    if (hq_link_) {
        public_certificate_ = std::make_unique<RouterPublicCertificate>(paths_, *hq_client_,
                                                                        *identities_, clock_, rng_);
        if (const auto home = public_home_.get()) public_certificate_->serve_stored_at_start(*home);
        hq_link_->add_duty([this](const HomeRegistration& registration) {
            return public_certificate_->maintain(registration);
        });
    }
    try {
        server_ = std::make_unique<HttpsServer>(*identities_, config_.http_connections,
                                                config_.listen_host, config_.listen_port);
    } catch (const std::exception& e) {
        throw StartFailure(kExitHttps, std::string("cannot serve HTTPS: ") + e.what());
    }
    acme::AcmeSettings acme_settings;
    acme_settings.http01_port = static_cast<uint16_t>(config_.acme_http_port);
    acme_settings.tls_alpn01_port = static_cast<uint16_t>(config_.acme_tls_port);
    acme_ = std::make_unique<acme::AcmeService>(*store_, *store_, *service_, *issuer_, challenges_,
                                                clock_, rng_, acme_settings);
    register_device_api(server_->routes(), *service_, *issuer_, public_home_,
                        [this](const httplib::Request& req, httplib::Response& res) {
                            return answer_acme_error(*acme_, req, res);
                        });
    register_public_certificate_api(server_->routes(), *service_, hq_link_.get());
    // A new ACME account's answer waits for the pairing window's guard, plus a second for the
    // loop's tick to act on it.
    register_acme_api(server_->routes(), *acme_, config_.pairing.guard + std::chrono::seconds(2));
    url_ = "https://" + config_.listen_host + ":" + std::to_string(config_.listen_port);
}

// The admin: its operations (shared by the control socket and the web UI) and the web UI's routes.
// Setup and login hash passwords in hashing_slots_: their number bounds the memory a flood of
// logins can take (admin/hashing_slots.hpp).
void RouterDaemon::build_admin() {
    account_ = std::make_unique<admin::AdminAccount>(*store_, clock_, rng_, hashing_slots_);
    admin_ = std::make_unique<AdminContext>(AdminContext{
        *service_, *store_, *issuer_, clock_, config_.pairing.window, url_, dns_endpoint_, *mdns_,
        account_.get(), acme_.get(), [this](TimePoint now) { return ca_keys_->status_json(now); },
        [this] {
            if (!hq_link_) return nlohmann::json{{"state", "off"}};
            auto j = hq_link_->status_json();
            j["router_certificate"] = public_certificate_->status_json();
            return j;
        },
        neighbour_mac});
    ui_ = std::make_unique<AdminUi>(
        AdminUi{*admin_, rng_, paths_, [this](const std::string& to) { store_->snapshot_to(to); },
                send_problem});
    register_admin_ui(server_->routes(), *ui_);
    if (const auto code = account_->setup_code())
        log_line("first run: open " + url_ + "/ and enter the one-time setup code " + *code +
                 " (also shown by: router-ca setup-code --data-dir " + paths_.dir + ")");
}

void RouterDaemon::open_control_socket() {
    try {
        control_ = std::make_unique<ControlSocketServer>(
            paths_.control_socket(), [this](const std::string& line) {
                return handle_admin_command(line, *admin_, ca_keys_.get());
            });
    } catch (const std::exception& e) {
        throw StartFailure(kExitControlSocket,
                           std::string("cannot open the control socket: ") + e.what());
    }
}

// What the enrolment service's decisions set off beyond the store, all wired here: names (zone,
// mDNS) and HQ follow every change of devices; an overlap and a warning (an address withheld, a
// device possibly cloned) reach the log too, besides the audit log. The service emits nothing
// before start(), so wiring them last misses nothing.
void RouterDaemon::wire_enrolment_effects() {
    service_->set_change_listener([this] {
        names_->refresh();
        if (hq_link_) hq_link_->devices_changed();
    });
    // An overlap is what a parked request meets: the admin hears of it in the log, with who took
    // part (the same details status and the web UI show). The ids are whatever the service names
    // participants by, which overlap_alert takes too, hence `auto`.
    service_->set_overlap_listener(
        [this](const auto& ids) { log_line(overlap_alert(ids, *admin_)); });
    service_->set_warning_listener([](const AuditEvent& e) {
        log_line("warning: " + e.event + " " + e.subject + ": " + e.detail);
    });
}

void RouterDaemon::start() {
    control_->start();
    server_->start();
    running_ = true;
    // After everything local is up: the link never delays a start (HQ may be down or absent).
    if (hq_link_) hq_link_->start();
    log_line("serving " + url_ + " for " + config_.policy.domain + " (data in " + paths_.dir +
             "; at most " + std::to_string(config_.http_connections.total) + " connections, " +
             std::to_string(config_.http_connections.per_address) + " per client address)");
}

void RouterDaemon::tick() { service_->tick(); }

TimePoint RouterDaemon::next_deadline() const { return service_->next_deadline(); }

void RouterDaemon::maintain() {
    keep_own_addresses();
    router_certificate_->keep();
    ca_keys_->maintain(clock_.now());
    acme_->purge();
}

void RouterDaemon::stop() {
    if (!running_) return;
    running_ = false;
    if (hq_link_) hq_link_->stop();
    server_->stop();
    log_line("HTTPS refused " + std::to_string(server_->refused()) +
             " connections over the limits since start");
    control_.reset();
    if (dns_) dns_->stop();
    service_->set_change_listener(nullptr);
    service_->set_overlap_listener(nullptr);
    service_->set_warning_listener(nullptr);
}

}  // namespace rca
