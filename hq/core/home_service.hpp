#pragma once
// What HQ's API does, without HTTP (house style #1): registering homes, setting their records and
// accepting certificate orders. Randomness and time are parameters (house style #2); persistence
// goes through HqStore; every input is checked before anything is stored.
#include <botan/rng.h>

#include <functional>
#include <string>

#include "core/time_source.hpp"
#include "hq/core/hq_error.hpp"
#include "hq/core/hq_store.hpp"
#include "hq/core/order_limits.hpp"
#include "hq/core/router_credential.hpp"

namespace hq {

/// The label of the record a registration sets to the router's address: router.<home>.<ZONE>,
/// the public alias of the router's own web UI.
inline constexpr const char* kRouterRecordLabel = "router";

/// The answer to a registration.
struct Registration {
    std::string home;        ///< "nifty-babbage"
    std::string zone;        ///< "nifty-babbage.<ZONE>"
    std::string credential;  ///< for "Authorization: Bearer"
    bool created = false;    ///< false when the token was already registered
};

/// The answer to a withdrawal.
struct Withdrawal {
    std::string name;         ///< <label>.<home>.<ZONE>
    size_t certificates = 0;  ///< certificates (issued or on order) this call set to be revoked
};

/// SHA-256 of text, the form in which tokens and credentials are stored.
Bytes secret_hash(const std::string& text);

/// The credential of a token: base64url(SHA-256("hq credential v1:" || token)). Derived rather
/// than drawn so that registering again returns the same credential while HQ stores only hashes;
/// whoever holds the token (the router) can always recompute it, nobody else can.
std::string credential_for(const std::string& token);

class HomeService {
  public:
    /// Serves homes under zone_apex. store, rng and time must outlive the service; rng must be
    /// safe to use from several threads (the daemon passes entropy::KernelRng). zone_changed is
    /// called with the home after every change of its records, so its part of the DNS zone can be
    /// republished.
    HomeService(HqStore& store, std::string zone_apex, OrderLimits limits,
                Botan::RandomNumberGenerator& rng, const rca::TimeSource& time,
                std::function<void(const std::string& home)> zone_changed);

    /// The router login proves (authenticate_router): checked before a registration's body is
    /// read.
    HqResult<RouterCredential> authenticate(const std::optional<RouterLogin>& login);

    /// authenticate, then register_home for the router.
    HqResult<Registration> register_home(const std::optional<RouterLogin>& login,
                                         const std::string& token, const std::string& address);

    /// For a genuine router (authenticate's answer): registers the home of token (or finds it:
    /// the same token gives the same home and credential), makes it the router's one home, and
    /// sets router.<home> to address, a private IPv4. A new home at most once per
    /// kNewHomeInterval per router (too_many_requests with retry_after otherwise); a home whose
    /// router was revoked is not taken over (router_refused).
    HqResult<Registration> register_home(const RouterCredential& router, const std::string& token,
                                         const std::string& address);

    /// Sets <label>.<home>.<ZONE> A address, for the holder of home's credential.
    HqResult<HomeRecord> set_record(const std::string& home, const std::string& credential,
                                    const std::string& label, const std::string& address);

    /// Accepts an order for the one name of csr_pem (see check_home_csr), within the home's limits.
    HqResult<CertificateOrder> request_certificate(const std::string& home,
                                                   const std::string& credential,
                                                   const std::string& csr_pem);

    /// For the holder of home's credential: <label>.<home>.<ZONE> goes from the zone and its
    /// certificates are revoked at the public CA for `reason` (an RFC 5280 name, core/
    /// revocation_reason), by the order worker. Idempotent: withdrawing again changes nothing but
    /// retries a revocation the CA refused.
    HqResult<Withdrawal> withdraw_name(const std::string& home, const std::string& credential,
                                       const std::string& label, const std::string& reason);

    /// The order with this id; not_found when there is none.
    HqResult<CertificateOrder> certificate(const std::string& id);

    /// The zone homes live under.
    const std::string& zone_apex() const { return zone_apex_; }

  private:
    /// The home, for the holder of its credential; with `ordering`, only while an unrevoked
    /// router holds it (router_refused otherwise).
    HqResult<Home> authorize(const std::string& home, const std::string& credential, bool ordering);

    HqStore& store_;
    std::string zone_apex_;
    OrderLimits limits_;
    Botan::RandomNumberGenerator& rng_;
    const rca::TimeSource& time_;
    std::function<void(const std::string& home)> zone_changed_;
};

}  // namespace hq
