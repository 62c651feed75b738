#include "daemon/hq_client.hpp"

#include <botan/base64.h>
#include <httplib.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "core/home_policy.hpp"
#include "core/ipv4.hpp"
#include "wire/enrolment_wire.hpp"

namespace rca {
namespace {

// "scheme://host[:port]" -> host, or "" for another shape (a path, user info, no host).
std::string host_of(const std::string& url, const std::string& scheme) {
    std::string rest = url.substr(scheme.size());
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (rest.empty() || rest.find_first_of("/?#@ ") != std::string::npos) return "";
    if (rest.front() == '[') {  // an IPv6 literal (RFC 3986 section 3.2.2)
        const auto close = rest.find(']');
        return close == std::string::npos ? "" : rest.substr(1, close - 1);
    }
    return rest.substr(0, rest.find(':'));
}

bool is_loopback_host(const std::string& host) {
    if (host == "localhost" || host == "::1") return true;
    const auto v4 = Ipv4::parse(host);
    return v4 && (v4->value >> 24) == 127;  // 127.0.0.0/8, RFC 1122 section 3.2.1.3
}

}  // namespace

std::optional<std::string> hq_url_problem(const std::string& url) {
    for (const std::string scheme : {"https://", "http://"}) {
        if (url.rfind(scheme, 0) != 0) continue;
        const std::string host = host_of(url, scheme);
        if (host.empty()) return "expected http(s)://HOST[:PORT] with no path";
        if (scheme == "http://" && !is_loopback_host(host))
            return "plain http:// only for a loopback HQ (tests); use https://";
        return std::nullopt;
    }
    return "expected an https:// URL";
}

Result<HomeRegistration> parse_home_registration(const std::string& body) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    const auto text = [&j](const char* key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (!j.is_object())
        return fail(Errc::malformed, "HQ's registration answer is not a JSON object");
    HomeRegistration r{{text("home"), text("zone")}, text("credential")};
    const auto& home = r.home.home;
    const auto& zone = r.home.zone;
    if (!is_valid_domain(home) || home.find('.') != std::string::npos)
        return fail(Errc::malformed, "HQ's registration answer has no valid home label");
    if (zone.rfind(home + ".", 0) != 0 || !is_valid_domain(zone))
        return fail(Errc::malformed,
                    "HQ's registration answer has a zone that is not <home>.<zone>");
    if (r.credential.empty() || r.credential.size() > 256 ||
        r.credential.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_") != std::string::npos)
        return fail(Errc::malformed, "HQ's registration answer has no valid credential");
    return r;
}

std::string hq_refusal(const HqAnswer& answer) {
    std::string error;
    const auto problem = wire::parse_problem(answer.body, error);
    std::string detail = problem ? problem->detail : "";
    if (detail.size() > 300) detail = detail.substr(0, 300) + "...";
    // HQ's text goes into log lines: a newline or escape in it must not forge or garble one.
    for (char& c : detail)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return "HQ answered HTTP " + std::to_string(answer.status) +
           (detail.empty() ? std::string() : ": " + detail);
}

std::optional<std::chrono::seconds> retry_after_seconds(const HqAnswer& answer) {
    const std::string& text = answer.retry_after;
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::chrono::seconds(std::stol(text));
}

bool is_hq_order_id(const std::string& id) {
    if (id.size() < 22 || id.size() > 64) return false;
    for (const char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    return true;
}

HqClient::HqClient(std::string url, std::string ca_file, std::string router_login)
    : url_(std::move(url)), ca_file_(std::move(ca_file)), router_login_(std::move(router_login)) {
    if (!url_.empty() && url_.back() == '/') url_.pop_back();
}

HqClient HqClient::with_timeout(int timeout_seconds) const {
    HqClient copy = *this;
    copy.timeout_seconds_ = timeout_seconds;
    return copy;
}

HqCall HqClient::send(const char* method, const std::string& path, const std::string& authorization,
                      const std::string& json_body) const {
    // A client per exchange: httplib::Client is not meant for concurrent requests, and calls to
    // HQ are rare (registration every few hours, records on device changes, CSR relays).
    httplib::Client client(url_);
    if (!ca_file_.empty()) client.set_ca_cert_path(ca_file_.c_str());
    client.enable_server_certificate_verification(true);
    client.set_connection_timeout(timeout_seconds_, 0);
    client.set_read_timeout(timeout_seconds_, 0);
    client.set_write_timeout(timeout_seconds_, 0);
    // The answer is counted as it arrives and dropped past kMaxHqAnswerBytes or the exchange's
    // deadline: a hostile or broken HQ cannot make the router buffer an endless body, nor one
    // that inflates (no decompression, and RFC 9110 section 12.5.3's "identity" asks for none).
    client.set_decompress(false);
    httplib::Request request;
    request.method = method;
    request.path = path;
    request.headers.emplace("Accept-Encoding", "identity");
    if (!authorization.empty()) request.headers.emplace("Authorization", authorization);
    if (request.method != "GET") {
        request.body = json_body;
        request.headers.emplace("Content-Type", "application/json");
    }
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(kHqExchangeSteps * timeout_seconds_);
    std::string body;
    std::string overflow;  // why the answer was dropped
    request.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
        if (body.size() + size > kMaxHqAnswerBytes)
            overflow = "more than the " + std::to_string(kMaxHqAnswerBytes) + " bytes accepted";
        else if (std::chrono::steady_clock::now() > deadline)
            overflow =
                "not complete within " + std::to_string(kHqExchangeSteps * timeout_seconds_) + " s";
        if (!overflow.empty()) return false;
        body.append(data, size);
        return true;
    };
    const httplib::Result res = client.send(request);
    if (!overflow.empty())
        return "HQ at " + url_ + " answered " + request.method + " " + path + " with " + overflow;
    if (!res) {
        std::string error = "cannot reach HQ at " + url_ + ": " + httplib::to_string(res.error());
        if (url_.rfind("https://", 0) == 0 && client.get_openssl_verify_result() != 0)
            error += std::string(" (certificate verification failed: ") +
                     X509_verify_cert_error_string(client.get_openssl_verify_result()) + ")";
        return error;
    }
    return HqAnswer{res->status, std::move(body), res->get_header_value("Content-Type"),
                    res->get_header_value("Retry-After")};
}

HqCall HqClient::register_home(const std::string& token, const std::string& address) const {
    // The factory credential as HTTP Basic (RFC 7617): HQ registers only genuine routers.
    const std::string authorization =
        router_login_.empty()
            ? ""
            : "Basic " +
                  Botan::base64_encode(reinterpret_cast<const uint8_t*>(router_login_.data()),
                                       router_login_.size());
    return send("POST", "/v1/homes", authorization,
                nlohmann::json{{"token", token}, {"address", address}}.dump());
}

HqCall HqClient::put_record(const std::string& home, const std::string& credential,
                            const std::string& label, const std::string& address) const {
    return send("PUT", "/v1/homes/" + home + "/records/" + label, "Bearer " + credential,
                nlohmann::json{{"address", address}}.dump());
}

HqCall HqClient::withdraw_name(const std::string& home, const std::string& credential,
                               const std::string& label, const std::string& reason) const {
    return send("POST", "/v1/homes/" + home + "/records/" + label + "/revoke",
                "Bearer " + credential, nlohmann::json{{"reason", reason}}.dump());
}

HqCall HqClient::submit_certificate(const std::string& home, const std::string& credential,
                                    const std::string& csr_pem) const {
    return send("POST", "/v1/homes/" + home + "/certificates", "Bearer " + credential,
                nlohmann::json{{"csr", csr_pem}}.dump());
}

HqCall HqClient::certificate(const std::string& id) const {
    return send("GET", "/v1/certificates/" + id, "", "");
}

}  // namespace rca
