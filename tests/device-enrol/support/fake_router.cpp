#include "support/fake_router.hpp"

#include <botan/data_src.h>
#include <botan/hex.h>
#include <botan/pkcs10.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <optional>

#include "denrol/key_maker.hpp"
#include "wire/enrolment_wire.hpp"

namespace denrol_test {

std::string problem_json(int status, const std::string& detail) {
    return rca::wire::to_json(rca::wire::Problem{"about:blank", "refused", status, detail});
}

namespace {

// Answers with an RFC 7807 problem document.
void refuse(httplib::Response& res, int status, const std::string& detail) {
    res.status = status;
    res.set_content(problem_json(status, detail), rca::wire::kProblemJson);
}

// The {"csr"} body of a renewal or a public certificate request; answers 400 and returns nullopt
// when it is malformed.
std::optional<rca::wire::RenewalSubmit> csr_body(const httplib::Request& req,
                                                 httplib::Response& res) {
    std::string error;
    auto submit = rca::wire::parse_renewal_submit(req.body, error);
    if (!submit) refuse(res, 400, error);
    return submit;
}

// A leaf from `pki` for the key of `csr_pem`, naming `dns`, valid from a minute ago.
Botan::X509_Certificate leaf_for_csr(TestPki& pki, const std::string& csr_pem,
                                     const std::string& dns, std::chrono::seconds lifetime) {
    Botan::DataSource_Memory src(csr_pem);
    const Botan::PKCS10_Request csr(src);
    const auto now = std::chrono::system_clock::now() - std::chrono::minutes(1);
    return pki.issue_leaf(*csr.subject_public_key(), dns, "", now, now + lifetime);
}

}  // namespace

FakeRouter::FakeRouter(TestPki& pki, Botan::RandomNumberGenerator& rng)
    : pki_(pki), rng_(rng), public_pki_(rng, "Test Public Root") {
    // The server certificate names 127.0.0.1, as the real router's names its LAN addresses.
    const auto key = denrol::make_key(denrol::KeyType::p256, rng);
    const auto now = std::chrono::system_clock::now();
    const auto leaf = pki.issue_leaf(*key, "router.home.arpa", "127.0.0.1",
                                     now - std::chrono::hours(1), now + std::chrono::hours(24));
    server_cert_ = leaf;
    crl_der = pki.crl_der({}, now - std::chrono::hours(1), std::chrono::hours(24 * 7));
    spit(dir_.file("chain.pem"), pki.chain_pem(leaf));
    spit(dir_.file("key.pem"), denrol::private_key_pem(*key));
    spit(dir_.file("root.pem"), pki.root_pem());

    const std::string dir = dir_.path();
    server_ = std::make_unique<httplib::SSLServer>([dir](SSL_CTX& ctx) {
        // Client certificates are requested but optional, as on the real router: only renewals
        // need one.
        return SSL_CTX_use_certificate_chain_file(&ctx, (dir + "/chain.pem").c_str()) == 1 &&
               SSL_CTX_use_PrivateKey_file(&ctx, (dir + "/key.pem").c_str(), SSL_FILETYPE_PEM) ==
                   1 &&
               SSL_CTX_load_verify_locations(&ctx, (dir + "/root.pem").c_str(), nullptr) == 1 &&
               (SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr), true);
    });
    server_->Get(rca::wire::kRootPemPath, [this](const httplib::Request&, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mutex);
        res.set_content(root_pem_override.empty() ? pki_.root_pem() : root_pem_override,
                        "application/x-pem-file");
    });
    server_->Get(rca::wire::kCrlPath, [this](const httplib::Request&, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mutex);
        ++crl_fetches;
        res.status = crl_http;
        res.set_content(crl_der, "application/pkix-crl");
    });
    server_->Post(rca::wire::kEnrolmentsPath,
                  [this](const httplib::Request& q, httplib::Response& r) { on_submit(q, r); });
    server_->Get(std::string(rca::wire::kEnrolmentsPath) + "/([A-Za-z0-9_-]+)",
                 [this](const httplib::Request& q, httplib::Response& r) { on_poll(q, r); });
    server_->Post(rca::wire::kRenewalsPath,
                  [this](const httplib::Request& q, httplib::Response& r) { on_renew(q, r); });
    server_->Put(rca::wire::kAddressPath,
                 [this](const httplib::Request& q, httplib::Response& r) { on_address(q, r); });
    server_->Post(
        rca::wire::kPublicCertificatesPath,
        [this](const httplib::Request& q, httplib::Response& r) { on_public_submit(q, r); });
    server_->Get(std::string(rca::wire::kPublicCertificatesPath) + "/([A-Za-z0-9_-]+)",
                 [this](const httplib::Request& q, httplib::Response& r) { on_public_poll(q, r); });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    for (int i = 0; i < 200 && !server_->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

FakeRouter::~FakeRouter() {
    server_->stop();
    thread_.join();
}

std::string FakeRouter::url() const { return "https://127.0.0.1:" + std::to_string(port_); }

std::string FakeRouter::issue_json(const std::string& status, const std::string& csr_pem) {
    rca::wire::EnrolmentStatus st;
    st.id = "req-1";
    st.status = status;
    if (status == "issued") {
        const auto leaf = leaf_for_csr(pki_, csr_pem, "cam.home.arpa", leaf_lifetime);
        st.name = "cam";
        st.fqdn = "cam.home.arpa";
        st.certificate = leaf.PEM_encode();
        st.chain = pki_.chain_pem(leaf);
        st.public_name = public_name;
    }
    if (status == "denied") st.detail = "the admin said no";
    return rca::wire::to_json(st);
}

void FakeRouter::on_submit(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    std::string error;
    const auto submit = rca::wire::parse_enrolment_submit(req.body, error);
    if (!submit) {
        refuse(res, 400, error);
        return;
    }
    ++submissions;
    last_name_hint = submit->name_hint;
    last_ipv4 = submit->ipv4;
    last_submit_source = req.remote_addr;
    csr_pem_ = submit->csr_pem;
    std::string parse_error;
    auto st = *rca::wire::parse_enrolment_status(issue_json(script.front(), csr_pem_), parse_error);
    st.token = kToken;
    res.status = 202;
    res.set_content(rca::wire::to_json(st), "application/json");
}

void FakeRouter::on_poll(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    if (req.matches[1] != "req-1") {
        refuse(res, 404, "no such enrolment");
        return;
    }
    if (req.get_header_value("Authorization") != std::string("Bearer ") + kToken) {
        refuse(res, 401, "wrong token for this enrolment");
        return;
    }
    ++polls;
    const size_t step = std::min(static_cast<size_t>(polls), script.size() - 1);
    res.set_header("Retry-After", "2");
    res.set_content(issue_json(script[step], csr_pem_), "application/json");
}

namespace {

// The serial (hex) of the client certificate the TLS layer verified; answers 401 and returns
// nullopt when there is none, as the real router does.
std::optional<std::string> verified_client_serial(const httplib::Request& req,
                                                  httplib::Response& res) {
    X509* peer = req.ssl ? SSL_get1_peer_certificate(req.ssl) : nullptr;
    if (!peer || SSL_get_verify_result(req.ssl) != X509_V_OK) {
        if (peer) X509_free(peer);
        refuse(res, 401, "a client certificate is required");
        return std::nullopt;
    }
    const ASN1_INTEGER* serial = X509_get0_serialNumber(peer);
    std::string hex = Botan::hex_encode(serial->data, static_cast<size_t>(serial->length), false);
    X509_free(peer);
    return hex;
}

}  // namespace

void FakeRouter::on_renew(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    const auto serial = verified_client_serial(req, res);
    if (!serial) return;
    renewal_client_serial = *serial;
    ++renewals;
    if (renewal_http != 200) {
        refuse(res, renewal_http, "this certificate has been revoked");
        return;
    }
    const auto submit = csr_body(req, res);
    if (!submit) return;
    res.set_content(issue_json("issued", submit->csr_pem), "application/json");
}

void FakeRouter::on_address(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    const auto serial = verified_client_serial(req, res);
    if (!serial) return;
    address_client_serial = *serial;
    std::string error;
    const auto update = rca::wire::parse_address_update(req.body, error);
    if (!update) {
        refuse(res, 400, error);
        return;
    }
    ++address_updates;
    last_address = update->ipv4;
    last_address_source = req.remote_addr;
    if (address_http != 204) {
        refuse(res, address_http,
               address_http == 403 ? "this certificate has been revoked"
                                   : "the address is outside the LAN subnets");
        return;
    }
    res.status = 204;
}

std::string FakeRouter::public_json(const std::string& status) {
    rca::wire::PublicCertificateStatus st;
    st.id = "order-" + std::to_string(public_orders_);
    st.name = public_name;
    st.status = status;
    if (status == "issued") {
        const auto leaf = leaf_for_csr(public_pki_, public_csr_pem_, public_name, public_lifetime);
        st.chain = public_pki_.chain_pem(leaf);
    }
    if (status == "failed")
        st.problem = rca::wire::Problem{"urn:ietf:params:acme:error:unauthorized", "refused", 403,
                                        "No TXT record found at _acme-challenge." + public_name};
    return rca::wire::to_json(st);
}

void FakeRouter::on_public_submit(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    const auto serial = verified_client_serial(req, res);
    if (!serial) return;
    if (public_http != 202) {
        refuse(res, public_http, "the router has no home at HQ");
        return;
    }
    const auto submit = csr_body(req, res);
    if (!submit) return;
    ++public_submissions;
    ++public_orders_;
    public_client_serial = *serial;
    last_public_csr = public_csr_pem_ = submit->csr_pem;
    res.status = 202;
    res.set_header("Retry-After", "3");
    res.set_content(public_json(public_script.front()), "application/json");
}

void FakeRouter::on_public_poll(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    const auto serial = verified_client_serial(req, res);
    if (!serial) return;
    if (req.matches[1] != "order-" + std::to_string(public_orders_)) {
        refuse(res, 404, "no such order");
        return;
    }
    ++public_polls;
    const size_t step = std::min(static_cast<size_t>(public_polls), public_script.size() - 1);
    res.set_header("Retry-After", "3");
    res.set_content(public_json(public_script[step]), "application/json");
}

}  // namespace denrol_test
