#pragma once
// An in-process stand-in for the router's HTTPS API (the contract in
// router-ca/wire/enrolment_wire.hpp), on 127.0.0.1 with a server certificate from a TestPki.
// Each status a test wants is scripted; the real daemon is exercised by tests/e2e instead.
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "support/test_pki.hpp"

namespace denrol_test {

/// The fake router. Knobs may be set before requests are made; observations are read after.
class FakeRouter {
  public:
    /// Starts serving on a free port of 127.0.0.1.
    FakeRouter(TestPki& pki, Botan::RandomNumberGenerator& rng);
    ~FakeRouter();
    FakeRouter(const FakeRouter&) = delete;
    FakeRouter& operator=(const FakeRouter&) = delete;

    /// https://127.0.0.1:<port>
    std::string url() const;

    // Knobs.
    /// Statuses for the submission answer, then successive polls (the last one repeats).
    std::vector<std::string> script{"issued"};
    /// Served at /ca/root.pem instead of the PKI's root when not empty.
    std::string root_pem_override;
    /// HTTP status of renewals; not 200 makes it answer with a problem document.
    int renewal_http = 200;
    /// HTTP status of address updates; not 204 makes it answer with a problem document.
    int address_http = 204;
    /// HTTP status of GET /crl.
    int crl_http = 200;
    /// Served at /crl: a CRL of the intermediate, current for a week, listing nothing.
    std::string crl_der;
    /// Lifetime of issued leaves.
    std::chrono::seconds leaf_lifetime{90 * 24 * 3600};
    /// The public name issued answers carry ("" for a router without a home at HQ).
    std::string public_name;
    /// HTTP status of public certificate submissions; not 202 answers with a problem document.
    int public_http = 202;
    /// Statuses of the public order: the submission answer, then successive polls (the last
    /// repeats). "issued" carries a chain from public_pki for the CSR's key and public_name.
    std::vector<std::string> public_script{"issued"};
    /// Lifetime of public leaves.
    std::chrono::seconds public_lifetime{90 * 24 * 3600};

    // Observations (lock `mutex` while the server may still be running).
    mutable std::mutex mutex;
    int submissions = 0;
    int polls = 0;
    int renewals = 0;
    std::string last_name_hint;
    std::string last_ipv4;
    std::string last_submit_source;     ///< the connection's source address of the last submission
    std::string renewal_client_serial;  ///< hex serial of the client certificate of a renewal
    int crl_fetches = 0;                ///< GET /crl requests
    int address_updates = 0;            ///< PUT /api/v1/address requests with a client cert
    std::string last_address;           ///< the "ipv4" of the last one ("" when absent)
    std::string last_address_source;    ///< the connection's source address of the last one
    std::string address_client_serial;  ///< hex serial of its client certificate
    int public_submissions = 0;         ///< POST /api/v1/public-certificates with a client cert
    int public_polls = 0;               ///< GET /api/v1/public-certificates/<id> of a known order
    std::string last_public_csr;        ///< the CSR of the last public submission
    std::string public_client_serial;   ///< hex serial of the client certificate that sent it

    /// The "public CA" that issues public leaves (another root than the home's).
    TestPki& public_pki() { return public_pki_; }

    /// The router's own HTTPS certificate.
    const Botan::X509_Certificate& server_certificate() const { return server_cert_; }

    /// The bearer token the fake hands out.
    static constexpr const char* kToken = "t0ken-7d1f0c5e";

  private:
    std::string issue_json(const std::string& status, const std::string& csr_pem);
    void on_submit(const httplib::Request& req, httplib::Response& res);
    void on_poll(const httplib::Request& req, httplib::Response& res);
    void on_renew(const httplib::Request& req, httplib::Response& res);
    void on_address(const httplib::Request& req, httplib::Response& res);
    std::string public_json(const std::string& status);
    void on_public_submit(const httplib::Request& req, httplib::Response& res);
    void on_public_poll(const httplib::Request& req, httplib::Response& res);

    TestPki& pki_;
    Botan::RandomNumberGenerator& rng_;
    TestPki public_pki_;
    TempDir dir_;
    std::string csr_pem_;
    std::string public_csr_pem_;
    int public_orders_ = 0;
    Botan::X509_Certificate server_cert_;
    std::unique_ptr<httplib::SSLServer> server_;
    std::thread thread_;
    int port_ = 0;
};

/// An RFC 7807 problem body.
std::string problem_json(int status, const std::string& detail);

}  // namespace denrol_test
