#include "daemon/public_certificate_api.hpp"

#include "acme/csr_names.hpp"
#include "core/csr_policy.hpp"
#include "core/home_policy.hpp"
#include "daemon/https_server.hpp"
#include "daemon/problem.hpp"
#include "wire/enrolment_wire.hpp"

namespace rca {
namespace {

constexpr const char* kJson = "application/json";

// HQ answered, but not with success. The device's own refusals (is_device_refusal) are the
// device's to read: relayed with HQ's status, rebuilt from the parsed members only. A refusal of
// the router itself wakes the link to register again (registration is idempotent and gives a
// fresh credential; docs/hq.md "Homes"); that and anything else is HQ failing: 503.
void relay_refusal(httplib::Response& res, const HqAnswer& answer, HqRelay relay, HqLink& link) {
    if (!is_device_refusal(answer.status, relay)) {
        if (answer.status == 401 || answer.status == 403 || answer.status == 404) {
            link.reregister_now(hq_refusal(answer));
            return send_problem(
                res, fail(Errc::unavailable,
                          "HQ refused this router's registration (" + hq_refusal(answer) +
                              "); the router is registering its home again, try again shortly"));
        }
        return send_problem(res, fail(Errc::unavailable, hq_refusal(answer)));
    }
    std::string error;
    wire::Problem problem = wire::parse_problem(answer.body, error).value_or(wire::Problem{});
    if (problem.type.empty()) problem.type = "urn:router-ca:problem:hq-refused";
    if (problem.title.empty()) problem.title = "Refused by HQ";
    if (problem.detail.empty()) problem.detail = hq_refusal(answer);
    problem.status = answer.status;
    res.status = answer.status;
    // A per-home limit's 429 says when to come back (RFC 6585 section 4); only delta-seconds pass.
    if (!answer.retry_after.empty() && answer.retry_after.size() <= 9 &&
        answer.retry_after.find_first_not_of("0123456789") == std::string::npos)
        res.set_header("Retry-After", answer.retry_after);
    res.set_content(wire::to_json(problem), wire::kProblemJson);
}

// HQ's certificate order as the device sees it, from HQ's answer (parsed, checked, rebuilt);
// `id` for answers that do not repeat it (HQ's GET).
void relay_order(httplib::Response& res, const HqAnswer& answer, int status,
                 const std::string& id) {
    std::string error;
    auto order = wire::parse_public_certificate_status(answer.body, error);
    if (order && order->id.empty()) order->id = id;
    if (!order || !is_hq_order_id(order->id))
        return send_problem(res, fail(Errc::unavailable,
                                      "HQ's answer about the certificate cannot be read: " +
                                          (order ? std::string("bad order id") : error)));
    res.status = status;
    if (status == 202)
        res.set_header("Location", std::string(wire::kPublicCertificatesPath) + "/" + order->id);
    // The device polls again after this many seconds (RFC 9110 section 10.2.3).
    if (order->status == "pending") res.set_header("Retry-After", "2");
    res.set_content(wire::to_json(*order), kJson);
}

// The device behind the request's client certificate, and the home's registration at HQ; false
// when the request was answered with why not.
bool identify(const httplib::Request& req, httplib::Response& res, EnrolmentService& service,
              HqLink* link, Device& device, HomeRegistration& registration) {
    auto who = service.identify(peer_certificate_der(req));
    if (!who) {
        send_problem(res, who.error());
        return false;
    }
    device = who.value();
    if (!link) {
        send_problem(res, fail(Errc::unavailable,
                               "public certificates need the vendor's HQ, and this router has "
                               "none configured (router-ca serve --hq-url)"));
        return false;
    }
    auto registered = link->registration();
    if (!registered) {
        send_problem(res, fail(Errc::unavailable, registered.error()));
        return false;
    }
    registration = registered.value();
    return true;
}

}  // namespace

bool is_device_refusal(int status, HqRelay relay) {
    return status == 400 || status == 413 || status == 429 ||
           (status == 404 && relay == HqRelay::poll);
}

void register_public_certificate_api(httplib::Server& server, EnrolmentService& service,
                                     HqLink* link) {
    server.Post(wire::kPublicCertificatesPath, [&service, link](const httplib::Request& req,
                                                                httplib::Response& res) {
        Device device;
        HomeRegistration registration;
        if (!identify(req, res, service, link, device, registration)) return;
        std::string error;
        const auto body = wire::parse_renewal_submit(req.body, error);
        if (!body) return send_problem(res, fail(Errc::malformed, error));
        const auto csr = accept_csr(body->csr_pem);
        if (!csr) return send_problem(res, csr.error());
        // Exactly the device's own alias, as HQ and the public CA check too (RFC 8555 section
        // 7.4, via the ACME server's check): a device cannot order another device's name.
        const std::string name = public_name(registration.home, device.name);
        if (auto exact = acme::check_csr_names(csr.value().der, {name}); !exact)
            return send_problem(res, fail(Errc::bad_csr, "the CSR must name exactly " + name +
                                                              " (this device's public name): " +
                                                              exact.error().detail));
        // HQ's record must point at the device before anyone browses to the name; HQ publishes
        // only RFC 1918 addresses.
        if (!device.ipv4 || !is_rfc1918(*device.ipv4))
            return send_problem(
                res, fail(Errc::policy_denied,
                          "HQ publishes only private (RFC 1918) addresses, and this device's "
                          "address is " +
                              (device.ipv4 ? device.ipv4->to_string() : std::string("unknown")) +
                              "; update it first (PUT " + wire::kAddressPath + ")"));
        if (auto failed = link->put_record_now(device.name, *device.ipv4))
            return send_problem(res, fail(Errc::unavailable, *failed));
        const auto answer = link->client().submit_certificate(
            registration.home.home, registration.credential, body->csr_pem);
        if (!answer) return send_problem(res, fail(Errc::unavailable, answer.error()));
        if (answer.value().status != 202)
            return relay_refusal(res, answer.value(), HqRelay::order, *link);
        relay_order(res, answer.value(), 202, "");
    });

    server.Get(std::string(wire::kPublicCertificatesPath) + "/([^/]{1,200})",
               [&service, link](const httplib::Request& req, httplib::Response& res) {
                   Device device;
                   HomeRegistration registration;
                   if (!identify(req, res, service, link, device, registration)) return;
                   const std::string id = req.matches[1];
                   if (!is_hq_order_id(id))
                       return send_problem(res, fail(Errc::malformed,
                                                     "not a certificate order id (22 to 64 "
                                                     "characters of A-Z a-z 0-9 - _)"));
                   const auto answer = link->client().certificate(id);
                   if (!answer) return send_problem(res, fail(Errc::unavailable, answer.error()));
                   if (answer.value().status != 200)
                       return relay_refusal(res, answer.value(), HqRelay::poll, *link);
                   relay_order(res, answer.value(), 200, id);
               });
}

}  // namespace rca
