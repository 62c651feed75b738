#include "denrol/demo_server.hpp"

#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include <httplib.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "common/markup_escape.hpp"
#include "denrol/enrolment_dir.hpp"
#include "denrol/openssl_handles.hpp"
#include "denrol/own_revocation.hpp"
#include "denrol/public_certificate.hpp"
#include "denrol/sni_choice.hpp"
#include "denrol/time_text.hpp"

namespace denrol {
namespace {

namespace fs = std::filesystem;

// A demo page needs little: bound the work any one client can cause (architecture brief: httplib
// is thread-per-connection with unlimited bodies by default).
constexpr size_t kThreads = 4;
constexpr size_t kMaxRequestBody = 4096;
constexpr time_t kIoTimeoutSeconds = 5;

// Modification times of the files a reload depends on; any change means a new install.
using Stamp = std::vector<fs::file_time_type>;

Stamp stamp_of(const EnrolmentDir& dir) {
    Stamp s;
    for (const char* name :
         {EnrolmentDir::kChain, EnrolmentDir::kKey, EnrolmentDir::kState, EnrolmentDir::kCrl,
          EnrolmentDir::kPublicCert, EnrolmentDir::kPublicChain, EnrolmentDir::kPublicKey}) {
        std::error_code ec;
        s.push_back(fs::last_write_time(dir.file(name), ec));
    }
    return s;
}

// The name a verified client certificate gives: its first DNS SAN (router-ca leaves name the
// device there), else its subject CN.
std::string client_name(const SSL* ssl) {
    X509* peer = ssl ? SSL_get0_peer_certificate(ssl) : nullptr;
    if (!peer || SSL_get_verify_result(ssl) != X509_V_OK) return "";
    std::string name;
    auto* sans =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(peer, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; sans && name.empty() && i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans, i);
        if (n->type == GEN_DNS)
            name.assign(reinterpret_cast<const char*>(n->d.dNSName->data),
                        static_cast<size_t>(n->d.dNSName->length));
    }
    GENERAL_NAMES_free(sans);
    if (name.empty()) {
        char cn[256] = "";
        X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
        name = cn;
    }
    return name;
}

std::string row(const char* key, const std::string& value) {
    return std::string("<tr><th>") + key + "</th><td>" + rca::markup_escape(value) + "</td></tr>\n";
}

std::string page_for(const DeviceState& s) {
    return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" +
           rca::markup_escape(s.name) + "</title></head>\n<body><h1>" + rca::markup_escape(s.fqdn) +
           "</h1>\n<p>Served by device-enrol with a certificate from the home router's CA.</p>\n"
           "<table>\n" +
           row("name", s.name) + row("fqdn", s.fqdn) + row("serial", s.serial) +
           row("valid from", format_utc(s.not_before)) + row("expires", format_utc(s.not_after)) +
           row("router", s.router_url);
}

// The public certificate, presented to clients that ask for the public name (SNI).
struct PublicIdentity {
    std::string name;
    std::string serial;
    X509Ptr leaf;
    X509StackPtr rest;  ///< the chain after the leaf
    PkeyPtr key;
};

// Reads public-chain.pem and public-key.pem when a public certificate is installed; nullptr when
// none is, an error when the files do not go together.
Result<std::unique_ptr<PublicIdentity>> load_public(const EnrolmentDir& dir) {
    auto installed = read_installed_public(dir);
    if (!installed) return installed.error();
    if (!installed.value()) return std::unique_ptr<PublicIdentity>{};
    auto chain = dir.read(EnrolmentDir::kPublicChain);
    if (!chain) return chain.error();
    auto key = dir.read(EnrolmentDir::kPublicKey);
    if (!key) return key.error();
    auto p = std::make_unique<PublicIdentity>();
    p->name = installed.value()->name;
    p->serial = installed.value()->facts.serial;
    auto certs = read_pem_certs(chain.value());
    p->key = read_pem_key(key.value());
    if (certs.empty() || !p->key || X509_check_private_key(certs.front().get(), p->key.get()) != 1)
        return fail(Errc::local, dir.file(EnrolmentDir::kPublicChain) + " and " +
                                     dir.file(EnrolmentDir::kPublicKey) + " do not go together");
    p->leaf = std::move(certs.front());
    p->rest.reset(sk_X509_new_null());
    for (size_t i = 1; i < certs.size(); ++i) sk_X509_push(p->rest.get(), certs[i].release());
    return p;
}

// OpenSSL's server-name callback (RFC 6066 section 3): it runs before the certificate is chosen,
// so swapping the certificate here is what the client is then sent. The local one is cleared
// first: with keys of two types (an Ed25519 device has a P-256 public key) OpenSSL would
// otherwise choose between both by the client's signature algorithms.
int choose_by_sni(SSL* ssl, int*, void* arg) {
    const auto* pub = static_cast<const PublicIdentity*>(arg);
    const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (certificate_for_sni(sni ? sni : "", pub->name) != ServedCertificate::public_alias)
        return SSL_TLSEXT_ERR_OK;
    SSL_certs_clear(ssl);
    if (SSL_use_cert_and_key(ssl, pub->leaf.get(), pub->key.get(), pub->rest.get(), 1) != 1)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    return SSL_TLSEXT_ERR_OK;
}

// Sets up TLS: the device's chain and key, and a client certificate that is asked for but
// optional (a browser without one still gets the page). One that is sent must chain to the home
// root and not be listed in a current CRL of its issuer (X509_V_FLAG_CRL_CHECK); with no current
// CRL cached, OpenSSL refuses it too (unable to get certificate CRL) rather than guess.
// With a public certificate, the client's server name picks which one is presented.
bool setup_tls(SSL_CTX& ctx, const EnrolmentDir& dir, const std::string& crls_pem,
               const PublicIdentity* pub) {
    const std::string root = dir.file(EnrolmentDir::kRoot);
    if (SSL_CTX_use_certificate_chain_file(&ctx, dir.file(EnrolmentDir::kChain).c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(&ctx, dir.file(EnrolmentDir::kKey).c_str(), SSL_FILETYPE_PEM) !=
            1 ||
        SSL_CTX_check_private_key(&ctx) != 1 ||
        SSL_CTX_load_verify_locations(&ctx, root.c_str(), nullptr) != 1)
        return false;
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION);
    X509_STORE* store = SSL_CTX_get_cert_store(&ctx);
    for (const auto& crl : read_pem_crls(crls_pem)) X509_STORE_add_crl(store, crl.get());
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    // Tells clients which root to pick a certificate for (RFC 8446 4.2.4).
    SSL_CTX_set_client_CA_list(&ctx, SSL_load_client_CA_file(root.c_str()));
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
    if (pub) {
        SSL_CTX_set_tlsext_servername_callback(&ctx, choose_by_sni);
        SSL_CTX_set_tlsext_servername_arg(&ctx, const_cast<PublicIdentity*>(pub));
    }
    return true;
}

struct Loaded {
    std::unique_ptr<PublicIdentity> pub;  ///< before server: the server's callback points here
    std::unique_ptr<httplib::SSLServer> server;
    Stamp stamp;
    DeviceState state;
};

// Builds a server from the files on disk, refusing a key that does not match the certificate so
// that a half-finished install never replaces a working server.
Result<Loaded> load(const EnrolmentDir& dir) {
    if (dir.install_pending()) return fail(Errc::local, "an install is in progress");
    Loaded l;
    l.stamp = stamp_of(dir);
    auto state = dir.load_state();
    if (!state) return state.error();
    l.state = state.value();
    std::string crls;
    if (dir.has(EnrolmentDir::kCrl)) {
        auto text = dir.read(EnrolmentDir::kCrl);
        if (!text) return text.error();
        crls = std::move(text.value());
    }
    auto pub = load_public(dir);
    if (!pub) return pub.error();
    l.pub = std::move(pub.value());
    const PublicIdentity* public_identity = l.pub.get();
    l.server = std::make_unique<httplib::SSLServer>([&dir, &crls, public_identity](SSL_CTX& ctx) {
        return setup_tls(ctx, dir, crls, public_identity);
    });
    if (!l.server->is_valid())
        return fail(Errc::local, "cannot load " + dir.file(EnrolmentDir::kChain) + " with " +
                                     dir.file(EnrolmentDir::kKey) + " and " +
                                     dir.file(EnrolmentDir::kRoot));

    const std::string page = page_for(l.state);
    l.server->Get("/", [page](const httplib::Request& req, httplib::Response& res) {
        const std::string client = client_name(req.ssl);
        res.set_content(page +
                            row("client", client.empty() ? "no client certificate"
                                                         : "verified device " + client) +
                            "</table></body></html>\n",
                        "text/html; charset=utf-8");
    });
    l.server->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
    l.server->set_payload_max_length(kMaxRequestBody);
    l.server->set_read_timeout(kIoTimeoutSeconds, 0);
    l.server->set_write_timeout(kIoTimeoutSeconds, 0);
    l.server->set_keep_alive_timeout(kIoTimeoutSeconds);
    return l;
}

// One listening server and its thread.
class Running {
  public:
    Running(Loaded loaded, const Endpoint& listen) : loaded_(std::move(loaded)) {
        if (!loaded_.server->bind_to_port(listen.host.c_str(), listen.port)) return;
        bound_ = true;
        thread_ = std::thread([this] { loaded_.server->listen_after_bind(); });
        // stop() is a no-op until the loop runs; wait so that a quick stop cannot be lost.
        for (int i = 0; i < 200 && !loaded_.server->is_running(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ~Running() {
        if (!bound_) return;
        loaded_.server->stop();
        thread_.join();
    }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

    bool bound() const { return bound_; }
    const Loaded& loaded() const { return loaded_; }

  private:
    Loaded loaded_;
    bool bound_ = false;
    std::thread thread_;
};

// Fetches the CRL into DIR/crl.pem, where the reload below picks it up. Failing is not fatal:
// clients are then checked against the cached CRL while it is current, and refused after that.
void refresh_crl(const EnrolmentDir& dir, const Log& log) {
    auto state = dir.load_state();
    if (!state) return;
    auto check = refresh_own_revocation(dir, state.value(), std::chrono::system_clock::now());
    if (!check)
        log("cannot refresh the router's CRL: " + check.error().detail +
            "; client certificates are checked against the cached one while it is current");
}

// Says so when the cached CRL lists the device's own certificate: browsers that check
// revocation will refuse this page.
void note_own_revocation(const EnrolmentDir& dir, const DeviceState& state, const Log& log) {
    const auto check = cached_own_revocation(dir, std::chrono::system_clock::now());
    if (check.status == RevocationCheck::Status::revoked)
        log("this device's " + describe_revocation(check, state.serial));
}

// Says which public name, if any, gets the public certificate.
void note_public(const Loaded& loaded, const Log& log) {
    if (loaded.pub)
        log("clients asking for " + loaded.pub->name + " (SNI) get public certificate " +
            loaded.pub->serial + "; every other name gets the local one");
}

}  // namespace

Result<Done> serve_demo(const DemoOptions& o, const std::atomic<bool>& stop, const Log& log) {
    const EnrolmentDir dir(o.out_dir);
    if (auto recovered = dir.recover(); !recovered) return recovered.error();
    refresh_crl(dir, log);
    auto first = load(dir);
    if (!first) return first.error();
    const std::string where = o.listen.host + ":" + std::to_string(o.listen.port);
    auto running = std::make_unique<Running>(std::move(first.value()), o.listen);
    if (!running->bound()) return fail(Errc::local, "cannot listen on " + where);
    log("serving https://" + running->loaded().state.fqdn + ":" + std::to_string(o.listen.port) +
        "/ on " + where + " (certificate " + running->loaded().state.serial +
        "; client certificates optional, checked against the home root and its CRL)");
    note_public(running->loaded(), log);
    note_own_revocation(dir, running->loaded().state, log);

    Stamp failed_stamp;  // so one broken install is reported once, not on every check
    auto next_check = std::chrono::steady_clock::now() + o.check_every;
    auto next_crl_refresh = std::chrono::steady_clock::now() + o.crl_refresh_every;
    while (!stop.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (std::chrono::steady_clock::now() >= next_crl_refresh) {
            next_crl_refresh = std::chrono::steady_clock::now() + o.crl_refresh_every;
            refresh_crl(dir, log);
        }
        if (std::chrono::steady_clock::now() < next_check) continue;
        next_check = std::chrono::steady_clock::now() + o.check_every;
        const Stamp now = stamp_of(dir);
        if (now == running->loaded().stamp || now == failed_stamp || dir.install_pending())
            continue;

        auto next = load(dir);
        if (!next) {
            failed_stamp = now;
            log("not reloading yet: " + next.error().detail);
            continue;
        }
        // Stop before binding again: two listeners cannot share the port. The gap is a few
        // milliseconds, during which connections are refused rather than served an old key.
        running.reset();
        running = std::make_unique<Running>(std::move(next.value()), o.listen);
        if (!running->bound()) return fail(Errc::local, "cannot listen on " + where + " again");
        log("reloaded: certificate " + running->loaded().state.serial + " valid until " +
            format_utc(running->loaded().state.not_after) + ", with the CRL in " +
            dir.file(EnrolmentDir::kCrl));
        note_own_revocation(dir, running->loaded().state, log);
        note_public(running->loaded(), log);
    }
    return Done{};
}

}  // namespace denrol
