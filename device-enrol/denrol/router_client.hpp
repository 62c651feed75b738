#pragma once
// The router's enrolment API over HTTPS (router-ca/wire/enrolment_wire.hpp has the shapes).
// Every connection but one verifies the router against its root: only the very first fetch of
// the root itself cannot, and its answer is checked by root_pinning instead.
#include <chrono>
#include <memory>
#include <string>

#include "denrol/endpoint.hpp"
#include "denrol/errors.hpp"
#include "wire/enrolment_wire.hpp"

namespace denrol {

/// Connection limits, so a silent router cannot hang the device forever.
struct HttpTimeouts {
    std::chrono::seconds connect{10};  ///< TCP connect and TLS handshake
    std::chrono::seconds read{30};     ///< each read and write
};

/// An answer to submit, poll or renew.
struct RouterReply {
    rca::wire::EnrolmentStatus status;    ///< the parsed body
    std::chrono::seconds retry_after{1};  ///< the Retry-After header, 1 s when absent
};

/// The device's current certificate chain (leaf first) and key, for mutual TLS.
struct ClientIdentity {
    std::string chain_pem;
    std::string key_pem;
};

/// GET /ca/root.pem without verifying the server (there is nothing to verify it against yet).
/// The caller must check the answer with accept_root before trusting it.
Result<std::string> fetch_root_unverified(const Endpoint& router,
                                          const HttpTimeouts& timeouts = {});

/// A client that verifies the router's certificate against one root and the host name or IP.
class RouterClient {
  public:
    /// Trusts `root_pem` alone (never the system's CA store) for `router`.
    RouterClient(Endpoint router, const std::string& root_pem, HttpTimeouts timeouts = {});
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

    /// PUT /api/v1/address, authenticated by `identity`: the router records `request.ipv4`, or
    /// the connection's source address when it is "". Done on 204 (or 200).
    Result<Done> update_address(const rca::wire::AddressUpdate& request,
                                const ClientIdentity& identity);

  private:
    class TrustFile;
    Endpoint router_;
    HttpTimeouts timeouts_;
    std::unique_ptr<TrustFile> trust_;
};

}  // namespace denrol
