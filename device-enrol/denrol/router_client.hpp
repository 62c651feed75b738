#pragma once
// The router's enrolment API over HTTPS (router-ca/wire/enrolment_wire.hpp has the shapes).
// Every connection but one verifies the router against its root: only the very first fetch of
// the root itself cannot, and its answer is checked by root_pinning instead.
//
// Revocation (RFC 5280 section 6.3): every API call also checks the router's certificate against
// the CRL of its issuer, cached in DIR/crl.pem. When none is cached, or the cached one is past
// its nextUpdate, the CRL is fetched first -- from the distribution point named in the router's
// certificate, else the router's /crl -- over a connection verified against the root alone (there
// is no CRL to check that one with yet; the CRL is signed, so where it comes from does not
// matter), checked up to the root, cached, and the call is made again with it.
#include <chrono>
#include <memory>
#include <string>

#include "denrol/endpoint.hpp"
#include "denrol/enrolment_dir.hpp"
#include "denrol/errors.hpp"
#include "denrol/revocation_list.hpp"
#include "wire/enrolment_wire.hpp"

namespace denrol {

/// How the device connects to the router: time limits, so a silent router cannot hang the device
/// forever, and the local address to connect from.
struct HttpOptions {
    std::chrono::seconds connect{10};  ///< TCP connect and TLS handshake
    std::chrono::seconds read{30};     ///< each read and write
    /// The local IPv4 address to connect from ("" for the kernel's choice): the router takes a
    /// device's address from its connection, so this is the address it records (--ipv4).
    std::string source_ipv4;
};

/// Checks options from the command line: a source_ipv4 that is not a dotted quad is an
/// Errc::usage error naming --ipv4.
Result<Done> check_options(const HttpOptions& options);

/// An answer to submit, poll or renew.
struct RouterReply {
    rca::wire::EnrolmentStatus status;    ///< the parsed body
    std::chrono::seconds retry_after{1};  ///< the Retry-After header, 1 s when absent
};

/// An answer of the public-certificate relay (docs/hq.md).
struct PublicReply {
    rca::wire::PublicCertificateStatus status;  ///< the parsed body
    std::chrono::seconds retry_after{1};        ///< the Retry-After header, 1 s when absent
};

/// The device's current certificate chain (leaf first) and key, for mutual TLS.
struct ClientIdentity {
    std::string chain_pem;
    std::string key_pem;
};

/// GET /ca/root.pem without verifying the server (there is nothing to verify it against yet).
/// The caller must check the answer with accept_root before trusting it.
Result<std::string> fetch_root_unverified(const Endpoint& router, const HttpOptions& options = {});

class RootTrustFile;

/// A client that verifies the router's certificate against one root, the host name or IP, and
/// the router's CRL.
class RouterClient {
  public:
    /// Trusts `root_pem` alone (never the system's CA store) for `router`, and keeps the CRLs in
    /// `crl_dir` (the enrolment directory, created when the first CRL is stored).
    RouterClient(Endpoint router, const std::string& root_pem, EnrolmentDir crl_dir,
                 HttpOptions options = {});
    ~RouterClient();
    RouterClient(const RouterClient&) = delete;
    RouterClient& operator=(const RouterClient&) = delete;

    /// POST /api/v1/enrolments.
    Result<RouterReply> submit(const rca::wire::EnrolmentSubmit& request);

    /// GET /api/v1/enrolments/<id> with the bearer token from the submission.
    Result<RouterReply> poll(const std::string& id, const std::string& token);

    /// POST /api/v1/renewals, authenticated by `identity` as the TLS client certificate.
    Result<RouterReply> renew(const rca::wire::RenewalSubmit& request,
                              const ClientIdentity& identity);

    /// PUT /api/v1/address, authenticated by `identity`: the router records the connection's
    /// source address (`request.ipv4`, when given, must be it). Done on 204 (or 200).
    Result<Done> update_address(const rca::wire::AddressUpdate& request,
                                const ClientIdentity& identity);

    /// POST /api/v1/public-certificates, authenticated by `identity`: the router relays the CSR
    /// to HQ. A router without a home at HQ refuses with 503 (Errc::refused).
    Result<PublicReply> submit_public(const rca::wire::PublicCertificateSubmit& request,
                                      const ClientIdentity& identity);

    /// GET /api/v1/public-certificates/<id>, authenticated by `identity`.
    Result<PublicReply> poll_public(const std::string& id, const ClientIdentity& identity);

    /// Fetches the CRL at `url` (a certificate's distribution point; "" for none), or the
    /// router's /crl when that fails, checks it up to the root with the CA certificates the router
    /// presents or `issuers_pem` names, and caches it in DIR/crl.pem. The CRL cached.
    Result<CheckedCrl> refresh_crl(const std::string& url, const std::string& issuers_pem = "");

  private:
    struct Call;
    struct Answer;
    // Sends `call` over a connection verified against the root and the cached CRL, fetching the
    // CRL first when the handshake finds none current; with `identity` as the client certificate.
    Result<Answer> send(const Call& call, const ClientIdentity* identity);

    Endpoint router_;
    std::string root_pem_;
    EnrolmentDir crl_dir_;
    HttpOptions options_;
    std::unique_ptr<RootTrustFile> trust_;
};

}  // namespace denrol
