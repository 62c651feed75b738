#include "hq/acme/acme_client.hpp"

#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs8.h>
#include <httplib.h>

#include "daemon/log.hpp"
#include "files/atomic_file.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose/strict_json.hpp"

namespace hq {
namespace {

using json = nlohmann::json;

// HQ's own problem document, for failures that are not the CA's (network, unreadable answers).
std::string hq_problem(const std::string& detail) {
    return json{{"type", "urn:hq:problem:ca-unreachable"}, {"detail", detail}}.dump();
}

// "https://host:port/path" -> {"https://host:port", "/path"}; nullopt for other shapes.
std::optional<std::pair<std::string, std::string>> split_url(const std::string& url) {
    const std::string scheme = "https://";
    if (url.rfind(scheme, 0) != 0) return std::nullopt;
    const auto slash = url.find('/', scheme.size());
    if (slash == std::string::npos) return std::make_pair(url, std::string("/"));
    return std::make_pair(url.substr(0, slash), url.substr(slash));
}

// Retry-After as delta-seconds (RFC 9110 §10.2.3). The HTTP-date form is not parsed: no ACME
// server in use sends it, and the order's own backoff applies instead.
std::optional<std::chrono::seconds> retry_after_of(const httplib::Response& res) {
    const std::string value = res.get_header_value("Retry-After");
    if (value.empty() || value.size() > 9 || value.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::chrono::seconds(std::stol(value));
}

}  // namespace

// One HTTP exchange, before it is judged.
struct AcmeClient::Raw {
    bool reached = false;
    std::string error;  // when not reached
    int status = 0;
    std::string body;
    std::string location;
    std::string nonce;
    std::string content_type;
    std::optional<std::chrono::seconds> retry_after;
};

AcmeClient::AcmeClient(std::string directory_url, std::string ca_file,
                       const Botan::Private_Key& account_key, Botan::RandomNumberGenerator& rng)
    : directory_url_(std::move(directory_url)),
      ca_file_(std::move(ca_file)),
      key_(account_key),
      rng_(rng),
      thumbprint_(rca::jose::parse_jwk(rca::jose::jwk_of(account_key)).value().thumbprint) {}

AcmeClient::~AcmeClient() = default;

httplib::Client& AcmeClient::client_for(const std::string& origin) {
    auto& slot = clients_[origin];
    if (!slot) {
        slot = std::make_unique<httplib::Client>(origin);
        if (!ca_file_.empty()) slot->set_ca_cert_path(ca_file_.c_str());
        slot->enable_server_certificate_verification(true);
        slot->set_connection_timeout(kAcmeTimeoutSeconds, 0);
        slot->set_read_timeout(kAcmeTimeoutSeconds, 0);
        slot->set_write_timeout(kAcmeTimeoutSeconds, 0);
        slot->set_tcp_nodelay(true);  // no Nagle delay between a JWS's headers and body
    }
    return *slot;
}

AcmeClient::Raw AcmeClient::send(const std::string& method, const std::string& url,
                                 const std::string& body) {
    Raw raw;
    const auto parts = split_url(url);
    if (!parts) {
        raw.error = "the CA gave a URL that is not https://: " + url.substr(0, 200);
        return raw;
    }
    httplib::Client& client = client_for(parts->first);
    httplib::Result res = method == "GET"    ? client.Get(parts->second.c_str())
                          : method == "HEAD" ? client.Head(parts->second.c_str())
                                             : client.Post(parts->second.c_str(), body,
                                                           "application/jose+json");
    if (!res) {
        raw.error = "cannot reach " + parts->first + ": " + httplib::to_string(res.error());
        if (client.get_openssl_verify_result() != 0)
            raw.error += " (certificate verification failed: " +
                         std::string(X509_verify_cert_error_string(client.get_openssl_verify_result())) +
                         ")";
        return raw;
    }
    raw.reached = true;
    raw.status = res->status;
    raw.body = res->body;
    raw.location = res->get_header_value("Location");
    raw.nonce = res->get_header_value("Replay-Nonce");
    raw.content_type = res->get_header_value("Content-Type");
    raw.retry_after = retry_after_of(*res);
    return raw;
}


AcmeCall AcmeClient::fresh_nonce() {
    const Raw raw = send("HEAD", new_nonce_url_, "");
    if (!raw.reached) return AcmeFailure{true, hq_problem(raw.error), std::nullopt};
    if (raw.nonce.empty())
        return AcmeFailure{true, hq_problem("newNonce answered without a Replay-Nonce header"),
                           raw.retry_after};
    nonce_ = raw.nonce;
    return AcmeResponse{};
}

AcmeCall AcmeClient::signed_post(const std::string& url, const std::string& payload,
                                 bool with_jwk) {
    for (int attempt = 0; attempt <= kMaxBadNonceRetries; ++attempt) {
        if (nonce_.empty()) {
            auto got = fresh_nonce();
            if (!got) return got;
        }
        // RFC 8555 §6.2: the protected header carries alg, nonce, url, and jwk (new accounts)
        // or kid (everything else).
        json header{{"nonce", nonce_}, {"url", url}};
        if (with_jwk)
            header["jwk"] = rca::jose::jwk_of(key_);
        else
            header["kid"] = kid_;
        nonce_.clear();  // a nonce is good for one request
        const std::string jws =
            rca::jose::sign_jws(header, payload, key_, rca::jose::Alg::es256, rng_);
        const Raw raw = send("POST", url, jws);
        if (!raw.reached) return AcmeFailure{true, hq_problem(raw.error), std::nullopt};
        nonce_ = raw.nonce;  // §6.5: every response carries a fresh one
        json parsed = json();
        if (raw.content_type.find("json") != std::string::npos) {
            auto strict = rca::jose::parse_strict_json(raw.body, "the CA's answer");
            if (!strict)
                return AcmeFailure{raw.status >= 500,
                                   hq_problem("the CA answered " + url + " with bad JSON: " +
                                              strict.error().detail),
                                   raw.retry_after};
            parsed = std::move(strict).value();
        }
        if (raw.status >= 200 && raw.status < 300)
            return AcmeResponse{raw.status, raw.location, raw.body, raw.retry_after,
                                std::move(parsed)};
        const std::string type = parsed.is_object() ? parsed.value("type", "") : "";
        if (type == "urn:ietf:params:acme:error:badNonce") {
            // §6.5: retry at once with the fresh nonce the error carried. Logged because a CA
            // that rejects many nonces (a load balancer losing nonce state) is worth noticing.
            rca::log_line("badNonce from the CA for " + url + "; retrying with its fresh nonce");
            continue;
        }
        const bool transient = raw.status >= 500 || raw.status == 429 ||
                               type == "urn:ietf:params:acme:error:rateLimited";
        const std::string problem =
            parsed.is_object() ? parsed.dump()
                               : hq_problem("the CA answered " + url + " with HTTP " +
                                            std::to_string(raw.status));
        return AcmeFailure{transient, problem, raw.retry_after};
    }
    return AcmeFailure{true,
                       hq_problem("the CA rejected " + std::to_string(kMaxBadNonceRetries + 1) +
                                  " nonces in a row (badNonce)"),
                       std::nullopt};
}

AcmeCall AcmeClient::ensure_account() {
    if (!kid_.empty()) return AcmeResponse{};
    if (new_order_url_.empty()) {
        const Raw raw = send("GET", directory_url_, "");
        if (!raw.reached) return AcmeFailure{true, hq_problem(raw.error), std::nullopt};
        if (raw.status != 200)
            return AcmeFailure{true,
                               hq_problem("the ACME directory answered HTTP " +
                                          std::to_string(raw.status)),
                               raw.retry_after};
        const auto directory = rca::jose::parse_strict_json(raw.body, "the ACME directory");
        if (!directory || !directory.value().is_object())
            return AcmeFailure{true, hq_problem("the ACME directory is not a JSON object"),
                               std::nullopt};
        const json& d = directory.value();
        for (const char* member : {"newNonce", "newAccount", "newOrder"})
            if (!d.contains(member) || !d[member].is_string())
                return AcmeFailure{false, hq_problem(std::string("the ACME directory has no ") +
                                                     member),
                                   std::nullopt};
        new_nonce_url_ = d["newNonce"].get<std::string>();
        new_account_url_ = d["newAccount"].get<std::string>();
        new_order_url_ = d["newOrder"].get<std::string>();
        // Optional in the directory (RFC 8555 §7.1.1 lists it, but a CA may not revoke over
        // ACME); a revocation then fails with the CA named as the reason.
        if (d.contains("revokeCert") && d["revokeCert"].is_string())
            revoke_cert_url_ = d["revokeCert"].get<std::string>();
    }
    // §7.3: agreeing to the terms is the operator's decision, made by running HQ against this CA.
    auto account = signed_post(new_account_url_, json{{"termsOfServiceAgreed", true}}.dump(), true);
    if (!account) return account;
    if (account.value().location.empty())
        return AcmeFailure{false, hq_problem("newAccount answered without a Location"),
                           std::nullopt};
    kid_ = account.value().location;
    return account;
}

AcmeCall AcmeClient::post(const std::string& url, const std::optional<json>& payload) {
    return signed_post(url, payload ? payload->dump() : std::string(), false);
}

std::unique_ptr<Botan::Private_Key> load_or_create_account_key(const std::string& path,
                                                               Botan::RandomNumberGenerator& rng) {
    if (rca::files::exists(path)) {
        Botan::DataSource_Memory pem(rca::files::read_file(path));
        auto key = Botan::PKCS8::load_key(pem);
        if (!dynamic_cast<const Botan::ECDSA_PrivateKey*>(key.get()))
            throw std::runtime_error(path + " is not an ECDSA account key");
        return key;
    }
    auto key = std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
    // 0600: the account key can order certificates for every home (house style #11).
    rca::files::write_atomic(path, Botan::PKCS8::PEM_encode(*key), 0600);
    return key;
}

}  // namespace hq
