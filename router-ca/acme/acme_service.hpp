#pragma once
// The ACME server's use cases (RFC 8555 section 7), over the same CA, profile and store as native
// enrolment: accounts behind the pairing gate, orders for one device name each, http-01 validated
// synchronously by the router itself, finalize, download and revocation. Pure like the core: the
// network comes in through ChallengeValidator, time through TimeSource.
//
// One concern per file, as step-ca's acme/ is laid out: acme_accounts.cpp (accounts, EAB, key
// change), acme_orders.cpp (orders, authorizations, who may have a name), acme_challenges.cpp
// with challenge_probe.* (validation and its network I/O), acme_issuance.cpp (finalize and
// download, through core/leaf_issuance), certificate_revocation.cpp (revokeCert) and
// account_approval.cpp (the pairing gate and the admin's side). The HTTP routes are the daemon's.
#include <botan/rng.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "acme/acme_store.hpp"
#include "acme/challenge_probe.hpp"
#include "acme/challenge_validator.hpp"
#include "acme/nonce_store.hpp"
#include "acme/request_verifier.hpp"
#include "core/enrolment_service.hpp"
#include "core/leaf_issuance.hpp"

namespace rca::acme {

/// The ACME server's settings.
struct AcmeSettings {
    /// Where http-01 answers are fetched (section 8.3 says 80; tests use a high port).
    uint16_t http01_port = 80;
    /// Where tls-alpn-01 handshakes go (RFC 8737 section 3 says 443).
    uint16_t tls_alpn01_port = 443;
    /// How long an order and its authorizations may stay unfinished. A client finishes in
    /// seconds; a day covers a client that is retried by hand.
    std::chrono::hours order_lifetime{24};
    /// Unfinished orders one account may hold (among its newest): each is rows in the store
    /// until it expires, and a client has one or two in flight.
    size_t open_orders_per_account = 16;
    /// Accounts not yet approved, which anyone may make, are capped like enrolment requests
    /// (per_source and total only; the oldest goes to make room).
    RequestLimits unapproved_accounts{};
};

/// One answer of the ACME server.
struct AcmeReply {
    int status = 200;
    nlohmann::json json;  ///< the object or problem document; null when `raw` is the body
    bool is_problem = false;
    std::string raw;           ///< a certificate chain
    std::string content_type;  ///< of `raw`
    std::string location;
    std::vector<std::pair<std::string, std::string>> links;  ///< (URL, rel)
    /// newAccount only: the account waits for the pairing window's decision; the caller holds the
    /// answer until pairing_decided() (the guard interval), so the client's next order succeeds.
    std::string pairing_account;
};

/// An External Account Binding credential for the admin to hand to a client.
struct EabCredential {
    std::string kid;
    std::string hmac_key;  ///< base64url, as lego --hmac and certbot --eab-hmac-key take it
};

class AcmeService {
  public:
    /// Joins `enrolment`'s pairing windows as a participant.
    AcmeService(AcmeStore& acme_store, Store& store, EnrolmentService& enrolment,
                const Issuer& issuer, ChallengeValidator& validator, const TimeSource& clock,
                Botan::RandomNumberGenerator& rng, AcmeSettings settings);

    /// A fresh nonce, for the Replay-Nonce header of every answer (section 6.5).
    std::string new_nonce() { return nonces_.issue(); }
    /// Section 7.1.1.
    nlohmann::json directory(const AcmeUrls& urls) const;

    /// Section 7.3.
    AcmeReply new_account(const AcmeRequest& request, const AcmeUrls& urls);
    /// Sections 7.3.2, 7.3.6: read, update contact, deactivate.
    AcmeReply account(const AcmeRequest& request, const AcmeUrls& urls, const std::string& id);
    /// The account's "orders" list (section 7.1.2.1).
    AcmeReply account_orders(const AcmeRequest& request, const AcmeUrls& urls,
                             const std::string& id);
    /// Section 7.3.5.
    AcmeReply key_change(const AcmeRequest& request, const AcmeUrls& urls);
    /// Section 7.4.
    AcmeReply new_order(const AcmeRequest& request, const AcmeUrls& urls);
    AcmeReply order(const AcmeRequest& request, const AcmeUrls& urls, const std::string& id);
    /// Section 7.5, and deactivation (7.5.2).
    AcmeReply authorization(const AcmeRequest& request, const AcmeUrls& urls,
                            const std::string& id);
    /// Section 7.5.1: validates at once (http-01 or tls-alpn-01), so the answer is already valid
    /// or invalid.
    AcmeReply challenge(const AcmeRequest& request, const AcmeUrls& urls,
                        const std::string& authz_id, const std::string& type);
    /// Section 7.4: issues at once, so the answer is the valid order.
    AcmeReply finalize(const AcmeRequest& request, const AcmeUrls& urls,
                       const std::string& order_id);
    /// Section 7.4.2.
    AcmeReply certificate(const AcmeRequest& request, const AcmeUrls& urls,
                          const std::string& serial);
    /// Section 7.6.
    AcmeReply revoke(const AcmeRequest& request, const AcmeUrls& urls);

    /// True once the pairing window has decided about the account (or it was never waiting).
    bool pairing_decided(const std::string& account_id);
    /// Called after pairing decisions about accounts, once the enrolment lock is released.
    void set_pairing_listener(std::function<void()> listener);

    // --- the admin's side (CLI and web UI) -------------------------------------------------
    /// Every account, oldest first.
    std::vector<Account> accounts();
    /// Approves an account that waits for the button or was caught in an overlap.
    Result<Account> approve(const std::string& account_id);
    /// Makes a new EAB credential; an account created with it is approved at once.
    EabCredential create_eab();
    /// Gives a name back ("nas" or "nas.home.arpa"): its owner is forgotten and its certificates
    /// revoked. Returns the serials revoked.
    Result<std::vector<std::string>> release(const std::string& name);
    /// Deletes unfinished orders that expired a day ago or more; called from the daemon's tick.
    void purge();

  private:
    struct Owned {
        VerifiedRequest request;
        Order order;
        std::vector<Authorization> authzs;
    };
    AcmeResult<VerifiedRequest> verify(const AcmeRequest& request, KeyRule rule,
                                       const AcmeUrls& urls);
    AcmeResult<Owned> owned_order(const AcmeRequest& request, const AcmeUrls& urls,
                                  const std::string& order_id);
    /// Whether account may have a certificate for label: ACME names share one namespace with
    /// native devices; the first account to validate owns a name; an admin's revocation holds
    /// unless the account validated after it (following a release).
    AcmeResult<Done> may_take(const std::string& label, const Account& account,
                              std::optional<TimePoint> validated_at);
    AcmeResult<Done> check_eab(const nlohmann::json& binding, const jose::Jwk& account_key,
                               const AcmeUrls& urls, std::string& kid);
    AcmeReply order_reply(const Order& order, const std::vector<Authorization>& authzs,
                          const AcmeUrls& urls, int status);
    std::vector<Authorization> authorizations_of(const Order& order);
    void decide_pairing(const PairingDecision& decision);
    void pairing_decided();
    std::string random_id();

    AcmeStore& acme_store_;
    Store& store_;
    EnrolmentService& enrolment_;
    const Issuer& issuer_;
    LeafIssuance issuance_;  ///< used under the enrolment service's lock (finalize)
    ChallengeProbe challenges_;
    const TimeSource& clock_;
    Botan::RandomNumberGenerator& rng_;
    AcmeSettings settings_;
    NonceStore nonces_;
    std::mutex issue_mutex_;  ///< one finalize at a time: an order is issued once
    std::mutex listener_mutex_;
    std::function<void()> pairing_listener_;
};

/// A reply with `status` and the JSON `body`.
AcmeReply json_reply(int status, nlohmann::json body);
/// The reply for a problem.
AcmeReply problem_reply(const Problem& problem);
/// The detail of the refusal an account gets while the pairing gate has not let it through.
std::string pairing_detail(const Account& account);

}  // namespace rca::acme
