#include "hq/daemon/hq_http_api.hpp"

#include <nlohmann/json.hpp>

#include "daemon/log.hpp"
#include "hq/core/request_bodies.hpp"
#include "hq/daemon/hq_problem.hpp"

namespace hq {
namespace {

using json = nlohmann::json;
using rca::log_line;
using rca::log_request_exception;

// The credential of "Authorization: Bearer <credential>" (RFC 6750 §2.1); "" when absent.
std::string bearer(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    const std::string scheme = "Bearer ";
    if (header.size() <= scheme.size() || header.compare(0, scheme.size(), scheme) != 0) return "";
    return header.substr(scheme.size());
}

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

// The CA's own problem document when it sent one; HQ's detail otherwise.
json problem_of(const CertificateOrder& order) {
    const json problem = json::parse(order.problem_json, nullptr, false);
    return problem.is_discarded() ? json{{"detail", order.problem_json}} : problem;
}

json order_view(const CertificateOrder& order) {
    json view{{"id", order.id}, {"name", order.name}, {"status", to_string(order.status)}};
    // The chain stays readable while and after it is revoked: it is public, and the router's
    // client may compare it with the certificate it holds.
    if (order.status == OrderStatus::issued || order.status == OrderStatus::revoking ||
        order.status == OrderStatus::revoked)
        view["chain"] = order.chain_pem;
    if (order.status == OrderStatus::failed) view["problem"] = problem_of(order);
    // Issued with a problem: the CA refused to revoke it (docs/hq.md, "Withdrawing a name").
    if (order.status == OrderStatus::issued && !order.problem_json.empty())
        view["revocation_problem"] = problem_of(order);
    if (order.revoke_reason) view["revocation_reason"] = rca::to_string(*order.revoke_reason);
    return view;
}

}  // namespace

void add_hq_routes(httplib::Server& server, HomeService& service, SourceLimiter& limiter,
                   const rca::TimeSource& time, std::function<void()> wake_worker) {
    server.set_payload_max_length(kMaxBodyBytes);

    // The endpoints anyone may call: registration (before its credential is checked, which costs
    // a store read) and order polls (the id is the capability). Budgeted per source before the
    // route runs; the other routes need a home's credential and have the per-home limits.
    server.set_pre_routing_handler(
        [&limiter, &time](const httplib::Request& req, httplib::Response& res) {
            // HEAD counts as GET: cpp-httplib serves it with the GET handler (RFC 9110 §9.3.2).
            const bool poll = req.method == "GET" || req.method == "HEAD";
            const bool open = (req.method == "POST" && req.path == "/v1/homes") ||
                              (poll && req.path.rfind("/v1/certificates/", 0) == 0);
            if (!open) return httplib::Server::HandlerResponse::Unhandled;
            const auto wait = limiter.admit(req.remote_addr, time.now());
            if (!wait) return httplib::Server::HandlerResponse::Unhandled;
            res.set_header("Retry-After", std::to_string(wait->count()));  // RFC 6585 §4
            send_problem(res, {HqErrc::too_many_requests,
                               "too many unauthenticated requests from this address; retry after " +
                                   std::to_string(wait->count()) + " s"});
            return httplib::Server::HandlerResponse::Handled;
        });

    server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("ok\n", "text/plain");
    });

    server.Post("/v1/homes", [&service](const httplib::Request& req, httplib::Response& res) {
        // The router's factory credential (docs/hq.md, "Router credentials"): without a valid
        // one, 401 before the body is read.
        const auto login = router_login_from(req.get_header_value("Authorization"));
        const auto router = service.authenticate(login);
        if (!router) return send_problem(res, router.error());
        const auto body = parse_registration_body(req.body);
        if (!body) return send_problem(res, body.error());
        const auto result =
            service.register_home(router.value(), body.value().token, body.value().address);
        if (!result) return send_problem(res, result.error());
        const Registration& r = result.value();
        // The router id, never its secret (router_credential.hpp).
        if (r.created) log_line("registered home " + r.home + " for router " + router.value().id);
        send_json(res, r.created ? 201 : 200,
                  {{"home", r.home}, {"zone", r.zone}, {"credential", r.credential}});
    });

    server.Put(R"(/v1/homes/([^/]+)/records/([^/]+))",
               [&service](const httplib::Request& req, httplib::Response& res) {
                   const auto body = parse_record_body(req.body);
                   if (!body) return send_problem(res, body.error());
                   const auto result = service.set_record(req.matches[1], bearer(req),
                                                          req.matches[2], body.value().address);
                   if (!result) return send_problem(res, result.error());
                   const HomeRecord& r = result.value();
                   send_json(res, 200,
                             {{"name", r.label + "." + r.home + "." + service.zone_apex()},
                              {"address", r.address.to_string()}});
               });

    // Withdrawing a name (docs/hq.md): its record goes at once, its certificates are revoked at
    // the public CA by the order worker.
    server.Post(R"(/v1/homes/([^/]+)/records/([^/]+)/revoke)",
                [&service, wake_worker](const httplib::Request& req, httplib::Response& res) {
                    const auto body = parse_withdrawal_body(req.body);
                    if (!body) return send_problem(res, body.error());
                    const auto result = service.withdraw_name(req.matches[1], bearer(req),
                                                              req.matches[2], body.value().reason);
                    if (!result) return send_problem(res, result.error());
                    log_line("withdrew " + result.value().name + " (reason " + body.value().reason +
                             "): " + std::to_string(result.value().certificates) +
                             " certificate(s) to revoke at the CA");
                    wake_worker();
                    send_json(res, 200,
                              json{{"name", result.value().name},
                                   {"certificates", result.value().certificates}});
                });

    server.Post(
        R"(/v1/homes/([^/]+)/certificates)",
        [&service, wake_worker](const httplib::Request& req, httplib::Response& res) {
            const auto body = parse_certificate_order_body(req.body);
            if (!body) return send_problem(res, body.error());
            const auto result =
                service.request_certificate(req.matches[1], bearer(req), body.value().csr);
            if (!result) return send_problem(res, result.error());
            log_line("certificate order " + result.value().id + " for " + result.value().name);
            wake_worker();
            res.set_header("Location", "/v1/certificates/" + result.value().id);
            send_json(res, 202, order_view(result.value()));
        });

    server.Get(R"(/v1/certificates/([^/]+))",
               [&service](const httplib::Request& req, httplib::Response& res) {
                   const auto result = service.certificate(req.matches[1]);
                   if (!result) return send_problem(res, result.error());
                   send_json(res, 200, order_view(result.value()));
               });

    // Anything else, including cpp-httplib's own 413 for an oversized body, gets a problem
    // document rather than an empty page.
    server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        const int status = res.status;
        if (status == 413)
            send_problem(res, {HqErrc::too_large, "the request body is larger than " +
                                                      std::to_string(kMaxBodyBytes) + " bytes"});
        else if (status == 404)
            send_problem(res, {HqErrc::not_found, "no such resource: " + req.path.substr(0, 200)});
        else
            send_problem(res, {HqErrc::bad_request, "the request cannot be served"});
        res.status = status;
    });
    server.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
            log_request_exception(req.method, req.path, ep);
            // Internal details stay in HQ's log; the client learns only that it was not its fault.
            send_problem(res, {HqErrc::internal, "internal error; see HQ's log"});
        });
}

}  // namespace hq
