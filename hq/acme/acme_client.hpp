#pragma once
// An ACME client's transport (RFC 8555 §6): the directory, nonces, the account, and JWS-signed
// POSTs over HTTPS. It knows nothing of orders; hq/acme/order_worker drives those. badNonce
// errors are retried here at once with the fresh nonce the error carries (§6.5); other
// failures are returned, marked transient (network, 5xx, 429: retry later, honouring
// Retry-After) or final (the CA's problem document).
#include <botan/pk_keys.h>
#include <botan/rng.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/basic_result.hpp"

namespace httplib {
class Client;
}

namespace hq {

/// A successful answer.
struct AcmeResponse {
    int status = 0;
    std::string location;  ///< the Location header (new accounts and orders)
    std::string body;
    std::optional<std::chrono::seconds> retry_after;
    /// The body as JSON when it is JSON (resources), null otherwise (a certificate chain).
    nlohmann::json json;
};

/// A failed call.
struct AcmeFailure {
    bool transient = false;  ///< try again later; false: the CA refused for good
    std::string problem_json;  ///< the CA's problem document (RFC 8555 §6.7), or HQ's own
    std::optional<std::chrono::seconds> retry_after;
};

using AcmeCall = rca::BasicResult<AcmeResponse, AcmeFailure>;

/// How many badNonce answers in a row one request survives. Pebble rejects a configurable share
/// of nonces on purpose (PEBBLE_WFE_NONCEREJECT); at 50 % sixteen failures in a row happen once in
/// 65,536 requests, and then the order's own backoff retries.
inline constexpr int kMaxBadNonceRetries = 16;
/// HTTP timeouts towards the CA: generous, because a CA under load answers slowly.
inline constexpr time_t kAcmeTimeoutSeconds = 30;

class AcmeClient {
  public:
    /// A client of the CA at directory_url, trusting ca_file for its HTTPS (system roots when
    /// empty), signing with account_key (ECDSA P-256, ES256). rng and account_key must outlive it.
    AcmeClient(std::string directory_url, std::string ca_file,
               const Botan::Private_Key& account_key, Botan::RandomNumberGenerator& rng);
    ~AcmeClient();
    AcmeClient(const AcmeClient&) = delete;
    AcmeClient& operator=(const AcmeClient&) = delete;

    /// Reads the directory and registers the account (or finds it: RFC 8555 §7.3.1, the same key
    /// returns the existing account), once; later calls return at once.
    AcmeCall ensure_account();
    /// True after ensure_account succeeded.
    bool has_account() const { return !kid_.empty(); }

    /// A JWS-signed POST to url with payload, or a POST-as-GET (§6.3) when payload is nullopt.
    AcmeCall post(const std::string& url, const std::optional<nlohmann::json>& payload);

    /// The directory's newOrder URL (after ensure_account).
    const std::string& new_order_url() const { return new_order_url_; }
    /// The directory's revokeCert URL (after ensure_account); "" when the CA offers none.
    const std::string& revoke_cert_url() const { return revoke_cert_url_; }
    /// The account key's RFC 7638 thumbprint, for key authorizations.
    const std::string& thumbprint() const { return thumbprint_; }

  private:
    struct Raw;
    Raw send(const std::string& method, const std::string& url, const std::string& body);
    AcmeCall fresh_nonce();
    AcmeCall signed_post(const std::string& url, const std::string& payload, bool with_jwk);
    httplib::Client& client_for(const std::string& origin);

    std::string directory_url_;
    std::string ca_file_;
    const Botan::Private_Key& key_;
    Botan::RandomNumberGenerator& rng_;
    std::string thumbprint_;
    std::string new_nonce_url_;
    std::string new_account_url_;
    std::string new_order_url_;
    std::string revoke_cert_url_;
    std::string kid_;
    std::string nonce_;
    std::map<std::string, std::unique_ptr<httplib::Client>> clients_;
};

/// Loads the ECDSA P-256 account key from path, or makes one and writes it there (mode 0600,
/// atomically) when the file does not exist. Throws when the file exists but is not such a key.
std::unique_ptr<Botan::Private_Key> load_or_create_account_key(const std::string& path,
                                                               Botan::RandomNumberGenerator& rng);

}  // namespace hq
