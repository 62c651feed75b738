#include "denrol/router_client.hpp"

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
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace denrol {
namespace {

// Every answer of this API fits easily: a chain of two certificates is about 2 KiB of PEM. A
// bound matters most on first contact, when the server is not verified yet.
constexpr size_t kMaxReplyBytes = 64 * 1024;
// A Retry-After beyond this would only ever be a bug on the router's side.
constexpr long kMaxRetryAfterSeconds = 300;

struct HttpAnswer {
    int status = 0;
    std::string retry_after;
    std::string body;
};

struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

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
        default:
            return httplib::to_string(err);
    }
}

void set_timeouts(httplib::SSLClient& cli, const HttpTimeouts& t) {
    cli.set_connection_timeout(t.connect);
    cli.set_read_timeout(t.read);
    cli.set_write_timeout(t.read);
}

Result<HttpAnswer> exchange(httplib::SSLClient& cli, const Endpoint& router, httplib::Request req) {
    HttpAnswer answer;
    bool too_big = false;
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
        if (answer.body.size() + n > kMaxReplyBytes) {
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
            return fail(Errc::protocol,
                        "the router at " + where(router) + " sent an answer larger than 64 KiB");
        if (err == httplib::Error::SSLServerVerification) {
            const long v = cli.get_openssl_verify_result();
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

httplib::Request make_request(const char* method, std::string path) {
    httplib::Request req;
    req.method = method;
    req.path = std::move(path);
    return req;
}

httplib::Request json_post(const char* path, std::string body) {
    auto req = make_request("POST", path);
    req.set_header("Content-Type", "application/json");
    req.body = std::move(body);
    return req;
}

// Ids travel in the URL path; anything beyond URL-safe characters means a broken router.
bool url_safe(const std::string& id) {
    if (id.empty() || id.size() > 128) return false;
    for (const char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    return true;
}

std::vector<X509Ptr> read_pem_certs(const std::string& pem) {
    std::vector<X509Ptr> certs;
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) certs.emplace_back(x);
    ERR_clear_error();  // the loop ends on a "no start line" error, which is expected
    return certs;
}

PkeyPtr read_pem_key(const std::string& pem) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    return key;
}

}  // namespace

// httplib 0.11.4 loads the system's default CA store whenever server verification is on and no CA
// *file* is set (SSLClient::load_certs calls SSL_CTX_set_default_verify_paths), even after
// set_ca_cert_store; checked here with SSL_CERT_FILE. Trusting the pinned root alone therefore
// needs the root in a file: a private temporary one, removed with the client.
class RouterClient::TrustFile {
  public:
    explicit TrustFile(const std::string& pem) {
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
    ~TrustFile() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    TrustFile(const TrustFile&) = delete;
    TrustFile& operator=(const TrustFile&) = delete;

    const std::string& path() const { return path_; }
    const std::string& error() const { return error_; }

  private:
    std::string path_;
    std::string error_;
};

Result<std::string> fetch_root_unverified(const Endpoint& router, const HttpTimeouts& timeouts) {
    httplib::SSLClient cli(router.host, router.port);
    // Deliberately unverified: this is trust on first use (architecture brief, Onboarding); the
    // caller checks the fingerprint or the pin before anything depends on the answer.
    cli.enable_server_certificate_verification(false);
    set_timeouts(cli, timeouts);
    auto answer = exchange(cli, router, make_request("GET", rca::wire::kRootPemPath));
    if (!answer) return answer.error();
    if (answer.value().status != 200) return refusal(answer.value());
    return std::move(answer.value().body);
}

RouterClient::RouterClient(Endpoint router, const std::string& root_pem, HttpTimeouts timeouts)
    : router_(std::move(router)),
      timeouts_(timeouts),
      trust_(std::make_unique<TrustFile>(root_pem)) {}

RouterClient::~RouterClient() = default;

namespace {

// Builds a client that verifies the router against the trust file; with `identity`, it also
// presents the device's certificate, sending the intermediate too so the router can build the path.
Result<std::unique_ptr<httplib::SSLClient>> make_verified_client(const Endpoint& router,
                                                                 const std::string& trust_path,
                                                                 const HttpTimeouts& timeouts,
                                                                 const ClientIdentity* identity) {
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
    cli->set_ca_cert_path(trust_path);
    cli->enable_server_certificate_verification(true);
    set_timeouts(*cli, timeouts);
    return cli;
}

}  // namespace

Result<RouterReply> RouterClient::submit(const rca::wire::EnrolmentSubmit& request) {
    if (!trust_->error().empty()) return fail(Errc::local, trust_->error());
    auto cli = make_verified_client(router_, trust_->path(), timeouts_, nullptr);
    if (!cli) return cli.error();
    auto answer = exchange(*cli.value(), router_,
                           json_post(rca::wire::kEnrolmentsPath, rca::wire::to_json(request)));
    if (!answer) return answer.error();
    auto reply = interpret(answer.value(), {200, 201, 202});
    // Only a pending request needs polling, hence an id and a token.
    if (reply && reply.value().status.status == "pending" &&
        (!url_safe(reply.value().status.id) || reply.value().status.token.empty()))
        return fail(Errc::protocol,
                    "the router accepted the request but sent no usable id and token");
    return reply;
}

Result<RouterReply> RouterClient::poll(const std::string& id, const std::string& token) {
    if (!trust_->error().empty()) return fail(Errc::local, trust_->error());
    if (!url_safe(id)) return fail(Errc::protocol, "the router's request id is not URL-safe");
    auto cli = make_verified_client(router_, trust_->path(), timeouts_, nullptr);
    if (!cli) return cli.error();
    auto req = make_request("GET", std::string(rca::wire::kEnrolmentsPath) + "/" + id);
    req.set_header("Authorization", "Bearer " + token);
    auto answer = exchange(*cli.value(), router_, std::move(req));
    if (!answer) return answer.error();
    return interpret(answer.value(), {200});
}

Result<RouterReply> RouterClient::renew(const rca::wire::RenewalSubmit& request,
                                        const ClientIdentity& identity) {
    if (!trust_->error().empty()) return fail(Errc::local, trust_->error());
    auto cli = make_verified_client(router_, trust_->path(), timeouts_, &identity);
    if (!cli) return cli.error();
    auto answer = exchange(*cli.value(), router_,
                           json_post(rca::wire::kRenewalsPath, rca::wire::to_json(request)));
    if (!answer) return answer.error();
    return interpret(answer.value(), {200, 201});
}

Result<Done> RouterClient::update_address(const rca::wire::AddressUpdate& request,
                                          const ClientIdentity& identity) {
    if (!trust_->error().empty()) return fail(Errc::local, trust_->error());
    auto cli = make_verified_client(router_, trust_->path(), timeouts_, &identity);
    if (!cli) return cli.error();
    auto req = make_request("PUT", rca::wire::kAddressPath);
    req.set_header("Content-Type", "application/json");
    req.body = rca::wire::to_json(request);
    auto answer = exchange(*cli.value(), router_, std::move(req));
    if (!answer) return answer.error();
    if (answer.value().status != 204 && answer.value().status != 200)
        return refusal(answer.value());
    return Done{};
}

}  // namespace denrol
