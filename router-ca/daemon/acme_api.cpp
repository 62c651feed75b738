#include "daemon/acme_api.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>

#include "acme/acme_urls.hpp"
#include "acme/acme_views.hpp"
#include "daemon/log.hpp"

namespace rca {
namespace {

using acme::AcmeReply;
using acme::AcmeRequest;
using acme::AcmeUrls;

constexpr const char* kJson = "application/json";
constexpr const char* kProblemJson = "application/problem+json";
// Resource ids are 128-bit hex; serials up to 20 bytes (RFC 5280 4.1.2.2); challenge types short.
constexpr const char* kId = "([0-9a-f]{32})";
constexpr const char* kSerial = "([0-9a-f]{1,40})";
constexpr const char* kType = "([a-z0-9-]{1,16})";

// The base URL as the client reached the router: the Host header, which must look like a host
// name or address with an optional port, since it is echoed into every URL the client gets.
std::optional<AcmeUrls> urls_of(const httplib::Request& req) {
    const std::string host = req.get_header_value("Host");
    if (host.empty() || host.size() > 260) return std::nullopt;
    for (char c : host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' ||
                        c == ']';
        if (!ok) return std::nullopt;
    }
    return AcmeUrls{"https://" + host};
}

// Headers every ACME answer carries: a fresh nonce (section 6.5) and the directory (section 7.1).
void common_headers(acme::AcmeService& acme, const AcmeUrls& urls, httplib::Response& res) {
    res.set_header("Replay-Nonce", acme.new_nonce());
    res.set_header("Link", "<" + urls.directory() + ">;rel=\"index\"");
    res.set_header("Cache-Control", "no-store");
}

void send(acme::AcmeService& acme, const AcmeUrls& urls, const AcmeReply& reply,
          httplib::Response& res) {
    common_headers(acme, urls, res);
    res.status = reply.status;
    if (!reply.location.empty()) res.set_header("Location", reply.location);
    for (const auto& [url, rel] : reply.links)
        res.set_header("Link", "<" + url + ">;rel=\"" + rel + "\"");
    if (!reply.content_type.empty()) {
        res.set_content(reply.raw, reply.content_type.c_str());
    } else if (!reply.json.is_null()) {
        // A problem's detail may quote the request's path, which need not be UTF-8 (RFC 8259
        // §8.1 wants it): such octets become U+FFFD, since an exception thrown from the error
        // handler ends the daemon.
        res.set_content(reply.json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        reply.is_problem ? kProblemJson : kJson);
    }
}

void send_problem(acme::AcmeService& acme, const AcmeUrls& urls, const acme::Problem& problem,
                  httplib::Response& res) {
    send(acme, urls, acme::problem_reply(problem), res);
}

AcmeRequest request_of(const httplib::Request& req, const AcmeUrls& urls) {
    return AcmeRequest{req.body, req.get_header_value("Content-Type"), urls.base + req.path,
                       Ipv4::parse(req.remote_addr), req.remote_addr};
}

// Wakes newAccount answers waiting for the pairing window.
struct PairingWaiter {
    std::mutex mutex;
    std::condition_variable changed;
};

using Handler =
    std::function<AcmeReply(const AcmeRequest&, const AcmeUrls&, const httplib::Request&)>;

// A POST route: the Host check, then the service.
httplib::Server::Handler post(acme::AcmeService& acme, Handler handler) {
    return [&acme, handler](const httplib::Request& req, httplib::Response& res) {
        const auto urls = urls_of(req);
        if (!urls) {
            res.status = 400;
            res.set_content("a Host header naming the router is required\n", "text/plain");
            return;
        }
        send(acme, *urls, handler(request_of(req, *urls), *urls, req), res);
    };
}

}  // namespace

void register_acme_api(httplib::Server& server, acme::AcmeService& acme,
                       std::chrono::milliseconds pairing_wait) {
    using namespace acme;
    const auto waiter = std::make_shared<PairingWaiter>();
    acme.set_pairing_listener([waiter] {
        const std::lock_guard<std::mutex> lock(waiter->mutex);
        waiter->changed.notify_all();
    });

    server.Get(kDirectoryPath, [&acme](const httplib::Request& req, httplib::Response& res) {
        const auto urls = urls_of(req);
        if (!urls) return void(res.status = 400);
        common_headers(acme, *urls, res);
        res.set_content(acme.directory(*urls).dump(), kJson);
    });
    // Section 7.2: HEAD answers 200, GET 204; both only carry the nonce.
    const auto nonce = [&acme](const httplib::Request& req, httplib::Response& res) {
        const auto urls = urls_of(req);
        if (!urls) return void(res.status = 400);
        common_headers(acme, *urls, res);
        res.status = req.method == "HEAD" ? 200 : 204;
    };
    server.Get(kNewNoncePath, nonce);  // cpp-httplib serves HEAD with the GET handler

    server.Post(kNewAccountPath,
                post(acme, [&acme, waiter, pairing_wait](const AcmeRequest& r, const AcmeUrls& u,
                                                         const httplib::Request&) {
                    AcmeReply reply = acme.new_account(r, u);
                    if (!reply.pairing_account.empty()) {
                        // Hold the answer until the window decides (the guard interval), so a
                        // client that orders right after registering is not refused.
                        std::unique_lock<std::mutex> lock(waiter->mutex);
                        waiter->changed.wait_for(lock, pairing_wait, [&] {
                            return acme.pairing_decided(reply.pairing_account);
                        });
                    }
                    return reply;
                }));
    server.Post(
        std::string(kAccountPath) + kId,
        post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u, const httplib::Request& req) {
            return acme.account(r, u, req.matches[1]);
        }));
    server.Post(
        std::string(kAccountPath) + kId + "/orders",
        post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u, const httplib::Request& req) {
            return acme.account_orders(r, u, req.matches[1]);
        }));
    server.Post(kKeyChangePath,
                post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u,
                                   const httplib::Request&) { return acme.key_change(r, u); }));
    server.Post(kNewOrderPath,
                post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u,
                                   const httplib::Request&) { return acme.new_order(r, u); }));
    server.Post(
        std::string(kOrderPath) + kId,
        post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u, const httplib::Request& req) {
            return acme.order(r, u, req.matches[1]);
        }));
    server.Post(
        std::string(kOrderPath) + kId + "/finalize",
        post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u, const httplib::Request& req) {
            return acme.finalize(r, u, req.matches[1]);
        }));
    server.Post(
        std::string(kAuthzPath) + kId,
        post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u, const httplib::Request& req) {
            return acme.authorization(r, u, req.matches[1]);
        }));
    server.Post(
        std::string(kChallengePath) + kId + "/" + kType,
        post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u, const httplib::Request& req) {
            return acme.challenge(r, u, req.matches[1], req.matches[2]);
        }));
    server.Post(
        std::string(kCertPath) + kSerial,
        post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u, const httplib::Request& req) {
            return acme.certificate(r, u, req.matches[1]);
        }));
    server.Post(kRevokeCertPath,
                post(acme, [&acme](const AcmeRequest& r, const AcmeUrls& u,
                                   const httplib::Request&) { return acme.revoke(r, u); }));
    // Section 6.3: everything but the directory and newNonce is POST only.
    server.Get(std::string(kAcmePrefix) + "/.*",
               [&acme](const httplib::Request& req, httplib::Response& res) {
                   const auto urls = urls_of(req);
                   if (!urls) return void(res.status = 400);
                   res.status = 405;
                   res.set_header("Allow", "POST");
                   send_problem(acme, *urls,
                                acme::Problem{acme::ProblemType::malformed,
                                              "ACME resources are read with POST-as-GET "
                                              "(RFC 8555 section 6.3), not GET",
                                              {}},
                                res);
                   res.status = 405;
               });
}

bool answer_acme_error(acme::AcmeService& acme, const httplib::Request& req,
                       httplib::Response& res) {
    const std::string prefix = std::string(acme::kAcmePrefix) + "/";
    if (req.path.compare(0, prefix.size(), prefix) != 0) return false;
    const auto urls = urls_of(req);
    if (!urls) return false;
    const int status = res.status;
    acme::Problem problem{acme::ProblemType::malformed, "the request cannot be served", {}};
    if (status == 413)
        problem.detail = "the request body is larger than the server accepts (" +
                         std::to_string(acme::kMaxJwsBytes) + " bytes)";
    else if (status == 404)
        problem = {acme::ProblemType::not_found, "there is no ACME resource " + req.path, {}};
    else if (status >= 500)
        problem = {acme::ProblemType::server_internal, "internal error; see the router's log", {}};
    // The document's "status" is the response's (RFC 7807 section 3.1, RFC 8555 section 6.7).
    AcmeReply reply = acme::problem_reply(problem);
    reply.status = status;
    reply.json["status"] = status;
    send(acme, *urls, reply, res);
    return true;
}

}  // namespace rca
