#pragma once
// The router's client of the vendor's HQ API (docs/hq.md): one HTTP exchange per call, nothing
// kept between calls, so the HQ link's thread and the HTTPS workers relaying device CSRs can call
// it at once. HTTPS is verified against --hq-ca-file or the system's roots; plain http:// is
// accepted only for loopback URLs (the tests run hq on 127.0.0.1).
#include <chrono>
#include <optional>
#include <string>

#include "core/public_home.hpp"
#include "core/result.hpp"

namespace rca {

/// What HQ answered (any status).
struct HqAnswer {
    int status = 0;
    std::string body;
    std::string content_type;
    std::string retry_after;  ///< HQ's Retry-After header (a 429 at a per-home limit), or ""
};

/// Either HQ's answer or why it could not be reached (a sentence).
using HqCall = BasicResult<HqAnswer, std::string>;

/// What is wrong with an --hq-url value, or nullopt: http(s)://HOST[:PORT] with no path, and
/// http:// only for a loopback host (credentials and CSRs must not cross a network in the clear).
std::optional<std::string> hq_url_problem(const std::string& url);

/// HTTP timeouts towards HQ on the link's own thread: for connecting, and for each send or
/// receive (cpp-httplib's timeouts are per system call, not per exchange).
inline constexpr int kHqTimeoutSeconds = 15;
/// An exchange's answer must be complete this many timeouts after it started (checked as each
/// piece arrives, so a silent HQ costs at most one timeout more): a trickling HQ cannot hold the
/// caller, whose each receive would otherwise restart the timeout.
inline constexpr int kHqExchangeSteps = 2;
/// The same for calls relayed for a device: each holds one of the router's HTTPS workers, and HQ
/// answers a CSR or a poll from its database, without waiting on the public CA.
inline constexpr int kHqRelayTimeoutSeconds = 5;
/// Largest answer read from HQ: a certificate chain is a few KiB.
inline constexpr size_t kMaxHqAnswerBytes = 256 * 1024;

class HqClient {
  public:
    /// A client of HQ at url (checked with hq_url_problem), trusting ca_file for its HTTPS
    /// (the system's roots when empty), registering with router_login ("ROUTER_ID:SECRET",
    /// read_hq_router_credential; none when empty).
    HqClient(std::string url, std::string ca_file, std::string router_login = "");
    /// The same client with timeout_seconds for each HTTP step instead of kHqTimeoutSeconds.
    HqClient with_timeout(int timeout_seconds) const;

    /// POST /v1/homes {"token", "address"} with the router's factory credential.
    HqCall register_home(const std::string& token, const std::string& address) const;
    /// PUT /v1/homes/<home>/records/<label> {"address"} with the home's credential.
    HqCall put_record(const std::string& home, const std::string& credential,
                      const std::string& label, const std::string& address) const;
    /// POST /v1/homes/<home>/records/<label>/revoke {"reason"} with the home's credential: the
    /// name leaves HQ's zone and its public certificates are revoked (docs/hq.md).
    HqCall withdraw_name(const std::string& home, const std::string& credential,
                         const std::string& label, const std::string& reason) const;
    /// POST /v1/homes/<home>/certificates {"csr"} with the home's credential.
    HqCall submit_certificate(const std::string& home, const std::string& credential,
                              const std::string& csr_pem) const;
    /// GET /v1/certificates/<id>; id must already be checked (is_hq_order_id).
    HqCall certificate(const std::string& id) const;

    const std::string& url() const { return url_; }

  private:
    /// authorization: the whole Authorization header value, or "" for none.
    HqCall send(const char* method, const std::string& path, const std::string& authorization,
                const std::string& json_body) const;

    std::string url_;
    std::string ca_file_;
    std::string router_login_;  ///< "ROUTER_ID:SECRET"; a secret: never logged
    int timeout_seconds_ = kHqTimeoutSeconds;
};

/// HQ's answer to a registration: the home and the credential for its later calls.
struct HomeRegistration {
    PublicHome home;
    std::string credential;
};

/// Reads a 200/201 answer to POST /v1/homes, checking that the home is one DNS label and the zone
/// is <home>.<vendor zone>: both end up in DNS names and URL paths.
Result<HomeRegistration> parse_home_registration(const std::string& body);

/// HQ's Retry-After in seconds when it is delta-seconds (RFC 9110 section 10.2.3), at most 9
/// digits; nullopt when absent or another form.
std::optional<std::chrono::seconds> retry_after_seconds(const HqAnswer& answer);

/// A sentence for an HQ answer that is not a success: its status and its problem's detail.
std::string hq_refusal(const HqAnswer& answer);

/// True for the syntax of HQ's order ids (128 random bits as lowercase hex or base64url, 22-64
/// characters): checked before an id from a device is put into a URL towards HQ.
bool is_hq_order_id(const std::string& id);

}  // namespace rca
