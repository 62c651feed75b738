#pragma once
// The composition root of `router-ca serve` (house style #8): one object, built from the options,
// that owns every part of the daemon. The constructor builds the parts in the order of its
// members, each init step failing with its own exit code; start() opens the listeners that wait
// for the parts; stop() and the destructor take them down in reverse.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "admin/admin_account.hpp"
#include "admin/admin_http_api.hpp"
#include "admin/hashing_slots.hpp"
#include "core/enrolment_service.hpp"
#include "core/public_home.hpp"
#include "core/zone_holder.hpp"
#include "daemon/acme_api.hpp"
#include "daemon/ca_keys.hpp"
#include "daemon/challenge_fetcher.hpp"
#include "daemon/control_socket.hpp"
#include "daemon/hq_client.hpp"
#include "daemon/hq_link.hpp"
#include "daemon/https_server.hpp"
#include "daemon/name_service.hpp"
#include "daemon/router_certificate.hpp"
#include "daemon/router_public_certificate.hpp"
#include "daemon/serve_config.hpp"
#include "daemon/sni_identity.hpp"
#include "daemon/system_time.hpp"
#include "dns/dns_server.hpp"
#include "entropy/kernel_rng.hpp"
#include "files/data_paths.hpp"
#include "store/sqlite_store.hpp"

namespace rca {

/// An init step that failed: the ServeExit code to leave with and the sentence to log.
struct StartFailure : std::runtime_error {
    StartFailure(int code, const std::string& reason)
        : std::runtime_error(reason), exit_code(code) {}
    int exit_code;
};

/// The daemon: every part of `router-ca serve`, owned in one place.
class RouterDaemon {
  public:
    /// Builds every part from config, in the order the members are listed (the store, the CA, the
    /// router's certificate, names, the HQ link, DNS, HTTPS routes, the admin, the control
    /// socket); DNS answers from here on. Throws StartFailure naming the step that failed.
    explicit RouterDaemon(const ServeConfig& config);
    /// Stops whatever still runs (stop()).
    ~RouterDaemon();
    RouterDaemon(const RouterDaemon&) = delete;
    RouterDaemon& operator=(const RouterDaemon&) = delete;

    /// Starts the control socket, then HTTPS, then the HQ link (last: HQ may be down or absent,
    /// and never delays a start).
    void start();
    /// Lets time act: the pairing window, request expiry.
    void tick();
    /// When time must act next.
    TimePoint next_deadline() const;
    /// The hourly upkeep: the router's own addresses, its certificate, the CA keys, ACME purges.
    void maintain();
    /// The daemon's clock.
    TimePoint now() const { return clock_.now(); }
    /// Stops in reverse order of start: the HQ link, HTTPS, the control socket, DNS, then the
    /// enrolment service's effects. Safe to call twice.
    void stop();

  private:
    void open_store();
    void load_ca();
    void issue_router_certificate();
    void keep_own_addresses();
    void build_names();
    void link_hq();
    void serve_dns();
    void build_https();
    void build_admin();
    void open_control_socket();
    void wire_enrolment_effects();

    // The parts, in the order they are built (and so destroyed in reverse).
    const ServeConfig config_;
    const DataPaths paths_;
    SystemTime clock_;
    entropy::KernelRng rng_;
    std::unique_ptr<SqliteStore> store_;
    std::string key_secret_;
    std::unique_ptr<Issuer> issuer_;
    std::shared_ptr<Botan::Private_Key> root_key_;  ///< until CaKeys takes it; null when offline
    std::unique_ptr<EnrolmentService> service_;
    std::vector<Ipv4> certificate_addresses_;  ///< the LAN addresses the router's certificate names
    std::unique_ptr<RouterCertificateKeeper> router_certificate_;
    std::unique_ptr<CaKeys> ca_keys_;
    std::optional<Ipv4> router_address_;
    std::string own_addresses_listed_;  ///< what the last keep_own_addresses() logged
    ZoneHolder zones_;
    std::unique_ptr<MdnsPublisher> mdns_;
    PublicHomeHolder public_home_;  ///< filled by the HQ link once HQ registered the home
    std::unique_ptr<NameService> names_;
    std::unique_ptr<HqClient> hq_client_;  ///< null without --hq-url
    std::unique_ptr<HqLink> hq_link_;      ///< null without --hq-url
    std::unique_ptr<dns::DnsServer> dns_;  ///< null with DNS off
    std::string dns_endpoint_ = "off";
    std::unique_ptr<SniIdentity> identities_;
    std::unique_ptr<RouterPublicCertificate> public_certificate_;  ///< null without --hq-url
    std::unique_ptr<HttpsServer> server_;
    ChallengeFetcher challenges_;
    std::unique_ptr<acme::AcmeService> acme_;
    std::string url_;
    admin::HashingSlots hashing_slots_;
    std::unique_ptr<admin::AdminAccount> account_;
    std::unique_ptr<AdminContext> admin_;
    std::unique_ptr<AdminUi> ui_;
    std::unique_ptr<ControlSocketServer> control_;
    bool running_ = false;
};

}  // namespace rca
