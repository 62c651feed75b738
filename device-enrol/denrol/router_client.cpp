#include "denrol/router_client.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <vector>

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "denrol/openssl_handles.hpp"

namespace denrol {
namespace {

// Every answer of this API fits easily: a chain of two certificates is about 2 KiB of PEM. A
// bound matters most on first contact, when the server is not verified yet.
constexpr size_t kMaxReplyBytes = 64 * 1024;
// A CRL entry is about 40 bytes: 1 MiB holds every revocation a home will ever make.
constexpr size_t kMaxCrlBytes = 1024 * 1024;
// A Retry-After beyond this would only ever be a bug on the router's side.
constexpr long kMaxRetryAfterSeconds = 300;

struct HttpAnswer {
    int status = 0;
    std::string retry_after;
    std::string body;
};

std::string where(const Endpoint& router) { return router_url_text(router); }

// httplib's own names for its errors ("Connection", "Read") are too terse for a user.
std::string describe(httplib::Error err) {
    switch (err) {
        case httplib::Error::Connection:
            return "connection refused or no route to it";
        case httplib::Error::ConnectionTimeout:
            return "connection timed out";
        case httplib::Error::Read:
            return "no answer (read failed or timed out)";
        case httplib::Error::Write:
            return "sending the request failed";
        case httplib::Error::SSLConnection:
            return "TLS handshake failed";
        case httplib::Error::SSLLoadingCerts:
            return "cannot load the pinned root certificate";
        case httplib::Error::BindIPAddress:
            return "cannot connect from the address given with --ipv4 (is it this device's?)";
        default:
            return httplib::to_string(err);
    }
}

void apply_options(httplib::SSLClient& cli, const HttpOptions& o) {
    cli.set_connection_timeout(o.connect);
    cli.set_read_timeout(o.read);
    cli.set_write_timeout(o.read);
    // httplib binds the socket to this address before connecting (an interface name would do
    // too; --ipv4 takes an address only).
    if (!o.source_ipv4.empty()) cli.set_interface(o.source_ipv4);
}

// What the handshake showed of the router's certificate, captured while OpenSSL verifies it.
struct SeenCertificate {
    std::string crl_url;        ///< the first URI of its CRL distribution point; "" when none
    std::string presented_pem;  ///< the CA certificates the router sent with it
    std::string serial;         ///< its serial, hex
};

// OpenSSL's verification, unchanged, recording what the router presented on the way; httplib
// reads the result with SSL_get_verify_result after the handshake.
int verify_and_record(X509_STORE_CTX* ctx, void* arg) {
    auto* seen = static_cast<SeenCertificate*>(arg);
    if (X509* leaf = X509_STORE_CTX_get0_cert(ctx)) {
        seen->crl_url = distribution_point(leaf);
        const ASN1_INTEGER* serial = X509_get0_serialNumber(leaf);
        static const char* kHex = "0123456789abcdef";
        seen->serial.clear();
        for (int i = 0; i < serial->length; ++i) {
            seen->serial += kHex[serial->data[i] >> 4];
            seen->serial += kHex[serial->data[i] & 15];
        }
    }
    if (STACK_OF(X509)* chain = X509_STORE_CTX_get0_untrusted(ctx))
        for (int i = 0; i < sk_X509_num(chain); ++i) {
            X509* c = sk_X509_value(chain, i);
            if (X509_check_ca(c) >= 1) seen->presented_pem += pem_of(c);
        }
    return X509_verify_cert(ctx);
}

// Failures that a fresh CRL can cure: none cached for the router's issuer, or the cached one stale
// or not verifying (RFC 5280 6.3.3: a CRL past its nextUpdate must be refreshed before use).
bool needs_fresh_crl(long verify_result) {
    return verify_result == X509_V_ERR_UNABLE_TO_GET_CRL ||
           verify_result == X509_V_ERR_CRL_HAS_EXPIRED ||
           verify_result == X509_V_ERR_CRL_NOT_YET_VALID ||
           verify_result == X509_V_ERR_CRL_SIGNATURE_FAILURE ||
           verify_result == X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER;
}

Result<HttpAnswer> exchange(httplib::SSLClient& cli, const Endpoint& router, httplib::Request req,
                            const SeenCertificate& seen, size_t max_bytes = kMaxReplyBytes) {
    HttpAnswer answer;
    bool too_big = false;
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
        if (answer.body.size() + n > max_bytes) {
            too_big = true;
            return false;
        }
        answer.body.append(data, n);
        return true;
    };
    req.set_header("Accept", "application/json");
    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    if (!cli.send(req, res, err)) {
        if (too_big)
            return fail(Errc::protocol, "the router at " + where(router) +
                                            " sent an answer larger than " +
                                            std::to_string(max_bytes / 1024) + " KiB");
        if (err == httplib::Error::SSLServerVerification) {
            const long v = cli.get_openssl_verify_result();
            if (v == X509_V_ERR_CERT_REVOKED)
                return fail(Errc::untrusted,
                            "the router at " + where(router) +
                                " presents an HTTPS certificate (serial " + seen.serial +
                                ") that the home CA has revoked: refusing to talk to it. Someone "
                                "else may be answering at the router's address with a revoked "
                                "key; ask the router's admin to check its devices and audit log");
            const std::string why = v != X509_V_OK ? X509_verify_cert_error_string(v)
                                                   : "its certificate does not name " + router.host;
            return fail(Errc::untrusted, "the router at " + where(router) +
                                             " is not the one this device trusts: " + why);
        }
        return fail(Errc::unreachable,
                    "cannot reach the router at " + where(router) + ": " + describe(err));
    }
    answer.status = res.status;
    answer.retry_after = res.get_header_value("Retry-After");
    return answer;
}

std::chrono::seconds parse_retry_after(const std::string& text) {
    // Only the delay-seconds form (RFC 9110 10.2.3); an HTTP-date from a router without a clock
    // would be meaningless anyway.
    if (text.empty() || text.size() > 6) return std::chrono::seconds{1};
    for (const char c : text)
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::chrono::seconds{1};
    return std::chrono::seconds{std::clamp(std::stol(text), 1L, kMaxRetryAfterSeconds)};
}

Error refusal(const HttpAnswer& a) {
    std::string ignored;
    std::string said;
    if (const auto problem = rca::wire::parse_problem(a.body, ignored))
        said = !problem->detail.empty() ? problem->detail : problem->title;
    if (said.empty()) said = "no reason given";
    return fail(Errc::refused,
                "the router refused: " + said + " (HTTP " + std::to_string(a.status) + ")",
                a.status);
}

Result<RouterReply> interpret(const HttpAnswer& a, std::initializer_list<int> accepted) {
    if (std::find(accepted.begin(), accepted.end(), a.status) == accepted.end()) return refusal(a);
    std::string error;
    auto status = rca::wire::parse_enrolment_status(a.body, error);
    if (!status)
        return fail(Errc::protocol, "the router's answer is not an enrolment status: " + error);
    return RouterReply{std::move(*status), parse_retry_after(a.retry_after)};
}

Result<PublicReply> interpret_public(const HttpAnswer& a, std::initializer_list<int> accepted) {
    if (std::find(accepted.begin(), accepted.end(), a.status) == accepted.end()) return refusal(a);
    std::string error;
    auto status = rca::wire::parse_public_certificate_status(a.body, error);
    if (!status)
        return fail(Errc::protocol,
                    "the router's answer is not a public certificate status: " + error);
    return PublicReply{std::move(*status), parse_retry_after(a.retry_after)};
}

// Ids travel in the URL path; anything beyond URL-safe characters means a broken router.
bool url_safe(const std::string& id) {
    if (id.empty() || id.size() > 128) return false;
    for (const char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    return true;
}

httplib::Request make_request(const char* method, std::string path) {
    httplib::Request req;
    req.method = method;
    req.path = std::move(path);
    return req;
}

}  // namespace

// httplib 0.11.4 loads the system's default CA store whenever server verification is on and no CA
// *file* is set (SSLClient::load_certs calls SSL_CTX_set_default_verify_paths), even after
// set_ca_cert_store; checked here with SSL_CERT_FILE. Trusting the pinned root alone therefore
// needs the root in a file: a private temporary one, removed with its owner.
class RootTrustFile {
  public:
    explicit RootTrustFile(const std::string& pem) {
        const char* tmpdir = std::getenv("TMPDIR");
        path_ = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/device-enrol-root.XXXXXX";
        const int fd = ::mkstemp(path_.data());
        if (fd < 0) {
            error_ = "cannot create a temporary file for the router's root: " +
                     std::string(std::strerror(errno));
            path_.clear();
            return;
        }
        size_t done = 0;
        while (done < pem.size()) {
            const ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                error_ = "cannot write the router's root to " + path_;
                break;
            }
            done += static_cast<size_t>(n);
        }
        ::close(fd);
    }
    ~RootTrustFile() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    RootTrustFile(const RootTrustFile&) = delete;
    RootTrustFile& operator=(const RootTrustFile&) = delete;

    const std::string& path() const { return path_; }
    const std::string& error() const { return error_; }

  private:
    std::string path_;
    std::string error_;
};

Result<Done> check_options(const HttpOptions& options) {
    in_addr parsed{};
    if (!options.source_ipv4.empty() &&
        ::inet_pton(AF_INET, options.source_ipv4.c_str(), &parsed) != 1)
        return fail(Errc::usage, "--ipv4 must be an IPv4 address like 192.168.1.20");
    return Done{};
}

Result<std::string> fetch_root_unverified(const Endpoint& router, const HttpOptions& options) {
    httplib::SSLClient cli(router.host, router.port);
    // Deliberately unverified: this is trust on first use (architecture brief, Onboarding); the
    // caller checks the fingerprint or the pin before anything depends on the answer.
    cli.enable_server_certificate_verification(false);
    apply_options(cli, options);
    auto answer = exchange(cli, router, make_request("GET", rca::wire::kRootPemPath), {});
    if (!answer) return answer.error();
    if (answer.value().status != 200) return refusal(answer.value());
    return std::move(answer.value().body);
}

namespace {

// Builds a client that verifies the router against the trust file, recording what it saw in
// `seen`; with `crls_pem`, it also requires a current CRL of the router certificate's issuer that
// does not list it (X509_V_FLAG_CRL_CHECK: the leaf; the root publishes no CRL for intermediates).
// With `identity`, it presents the device's certificate, sending the intermediate too so the
// router can build the path.
Result<std::unique_ptr<httplib::SSLClient>> make_verified_client(
    const Endpoint& router, const std::string& trust_path, const HttpOptions& options,
    const ClientIdentity* identity, const std::string* crls_pem, SeenCertificate& seen) {
    std::unique_ptr<httplib::SSLClient> cli;
    if (identity) {
        auto certs = read_pem_certs(identity->chain_pem);
        const PkeyPtr key = read_pem_key(identity->key_pem);
        if (certs.empty() || !key)
            return fail(Errc::local, "the device's certificate or key cannot be read");
        cli = std::make_unique<httplib::SSLClient>(router.host, router.port, certs.front().get(),
                                                   key.get());
        if (!cli->is_valid() || SSL_CTX_check_private_key(cli->ssl_context()) != 1)
            return fail(Errc::local, "the device's certificate and key do not match");
        for (size_t i = 1; i < certs.size(); ++i)
            SSL_CTX_add1_chain_cert(cli->ssl_context(), certs[i].get());
    } else {
        cli = std::make_unique<httplib::SSLClient>(router.host, router.port);
    }
    SSL_CTX* ctx = cli->ssl_context();
    SSL_CTX_set_cert_verify_callback(ctx, verify_and_record, &seen);
    if (crls_pem) {
        X509_STORE* store = SSL_CTX_get_cert_store(ctx);
        for (const auto& crl : read_pem_crls(*crls_pem)) X509_STORE_add_crl(store, crl.get());
        X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    }
    cli->set_ca_cert_path(trust_path);
    cli->enable_server_certificate_verification(true);
    apply_options(*cli, options);
    return cli;
}

}  // namespace

struct RouterClient::Call {
    const char* method;
    std::string path;
    std::string body;          ///< sent as JSON when not empty
    std::string bearer_token;  ///< "" for none
};

struct RouterClient::Answer {
    HttpAnswer http;
};

RouterClient::RouterClient(Endpoint router, const std::string& root_pem, EnrolmentDir crl_dir,
                           HttpOptions options)
    : router_(std::move(router)),
      root_pem_(root_pem),
      crl_dir_(std::move(crl_dir)),
      options_(options),
      trust_(std::make_unique<RootTrustFile>(root_pem)) {}

RouterClient::~RouterClient() = default;

Result<RouterClient::Answer> RouterClient::send(const Call& call, const ClientIdentity* identity) {
    if (!trust_->error().empty()) return fail(Errc::local, trust_->error());
    auto req = make_request(call.method, call.path);
    if (!call.body.empty()) {
        req.set_header("Content-Type", "application/json");
        req.body = call.body;
    }
    if (!call.bearer_token.empty()) req.set_header("Authorization", "Bearer " + call.bearer_token);

    for (int attempt = 0;; ++attempt) {
        std::string crls;
        if (crl_dir_.has(EnrolmentDir::kCrl)) {
            auto cached = crl_dir_.read(EnrolmentDir::kCrl);
            if (!cached) return cached.error();
            crls = std::move(cached.value());
        }
        SeenCertificate seen;
        auto cli = make_verified_client(router_, trust_->path(), options_, identity, &crls, seen);
        if (!cli) return cli.error();
        auto answer = exchange(*cli.value(), router_, req, seen);
        if (answer) return Answer{std::move(answer.value())};
        if (attempt > 0 || !needs_fresh_crl(cli.value()->get_openssl_verify_result()))
            return answer.error();
        // First contact, or the cached CRL went stale: fetch the one for this certificate.
        auto refreshed = refresh_crl(seen.crl_url, seen.presented_pem);
        if (!refreshed)
            return fail(refreshed.error().code,
                        "cannot check whether the router's HTTPS certificate (serial " +
                            seen.serial +
                            ") is revoked, so not trusting it: " + refreshed.error().detail);
    }
}

Result<CheckedCrl> RouterClient::refresh_crl(const std::string& url,
                                             const std::string& issuers_pem) {
    if (!trust_->error().empty()) return fail(Errc::local, trust_->error());
    // The distribution point names router.<domain>, which the device may not resolve; the same
    // path on the router it talks to serves the same CRL (one per issuing intermediate, so the
    // right one after a rotation too: docs/ca-keys.md). The plain /crl comes last, for routers
    // whose leaves named no issuer.
    std::vector<std::string> sources;
    const auto add = [&sources](const std::string& source) {
        if (std::find(sources.begin(), sources.end(), source) == sources.end())
            sources.push_back(source);
    };
    if (!url.empty()) add(url);
    if (const auto named = parse_https_url(url)) add(router_url_text(router_) + named.value().path);
    add(router_url_text(router_) + rca::wire::kCrlPath);

    std::string failures;
    for (const auto& source : sources) {
        const auto parsed = parse_https_url(source);
        if (!parsed) {
            failures += (failures.empty() ? "" : "; ") + source + ": " + parsed.error().detail;
            continue;
        }
        const Endpoint& from = parsed.value().endpoint;
        // Verified against the root but not against a CRL: this fetch is how the first CRL
        // arrives. The CRL's own signature, checked below, is what makes it trustworthy.
        SeenCertificate seen;
        auto cli = make_verified_client(from, trust_->path(), options_, nullptr, nullptr, seen);
        if (!cli) return cli.error();
        auto answer = exchange(*cli.value(), from, make_request("GET", parsed.value().path), seen,
                               kMaxCrlBytes);
        if (!answer || answer.value().status != 200) {
            failures += (failures.empty() ? "" : "; ") + source + ": " +
                        (answer ? refusal(answer.value()).detail : answer.error().detail);
            continue;
        }
        // The same clock OpenSSL checks the router's certificate with.
        auto checked = check_crl(answer.value().body, seen.presented_pem + issuers_pem, root_pem_,
                                 std::chrono::system_clock::now());
        if (!checked) return fail(checked.error().code, source + ": " + checked.error().detail);
        auto stored = crl_dir_.update_file(EnrolmentDir::kCrl, [&](const std::string& cached) {
            return merge_crl(cached, checked.value());
        });
        if (!stored) return stored.error();
        return checked;
    }
    return fail(Errc::unreachable, "no CRL could be fetched (" + failures + ")");
}

Result<RouterReply> RouterClient::submit(const rca::wire::EnrolmentSubmit& request) {
    auto answer =
        send({"POST", rca::wire::kEnrolmentsPath, rca::wire::to_json(request), ""}, nullptr);
    if (!answer) return answer.error();
    auto reply = interpret(answer.value().http, {200, 201, 202});
    // Only a pending request needs polling, hence an id and a token.
    if (reply && reply.value().status.status == "pending" &&
        (!url_safe(reply.value().status.id) || reply.value().status.token.empty()))
        return fail(Errc::protocol,
                    "the router accepted the request but sent no usable id and token");
    return reply;
}

Result<RouterReply> RouterClient::poll(const std::string& id, const std::string& token) {
    if (!url_safe(id)) return fail(Errc::protocol, "the router's request id is not URL-safe");
    auto answer =
        send({"GET", std::string(rca::wire::kEnrolmentsPath) + "/" + id, "", token}, nullptr);
    if (!answer) return answer.error();
    return interpret(answer.value().http, {200});
}

Result<RouterReply> RouterClient::renew(const rca::wire::RenewalSubmit& request,
                                        const ClientIdentity& identity) {
    auto answer =
        send({"POST", rca::wire::kRenewalsPath, rca::wire::to_json(request), ""}, &identity);
    if (!answer) return answer.error();
    return interpret(answer.value().http, {200, 201});
}

Result<PublicReply> RouterClient::submit_public(const rca::wire::PublicCertificateSubmit& request,
                                                const ClientIdentity& identity) {
    auto answer = send(
        {"POST", rca::wire::kPublicCertificatesPath, rca::wire::to_json(request), ""}, &identity);
    if (!answer) return answer.error();
    auto reply = interpret_public(answer.value().http, {200, 201, 202});
    // The id is what the device polls with, in the URL path.
    if (reply && reply.value().status.status == "pending" && !url_safe(reply.value().status.id))
        return fail(Errc::protocol, "the router accepted the public request but sent no usable id");
    return reply;
}

Result<PublicReply> RouterClient::poll_public(const std::string& id,
                                              const ClientIdentity& identity) {
    if (!url_safe(id)) return fail(Errc::protocol, "the public order's id is not URL-safe");
    auto answer = send({"GET", std::string(rca::wire::kPublicCertificatesPath) + "/" + id, "", ""},
                       &identity);
    if (!answer) return answer.error();
    return interpret_public(answer.value().http, {200});
}

Result<Done> RouterClient::update_address(const rca::wire::AddressUpdate& request,
                                          const ClientIdentity& identity) {
    auto answer =
        send({"PUT", rca::wire::kAddressPath, rca::wire::to_json(request), ""}, &identity);
    if (!answer) return answer.error();
    const int status = answer.value().http.status;
    if (status != 204 && status != 200) return refusal(answer.value().http);
    return Done{};
}

}  // namespace denrol
