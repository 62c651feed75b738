#include "daemon/public_certificate_api.hpp"

#include "acme/csr_names.hpp"
#include "core/csr_policy.hpp"
#include "core/home_policy.hpp"
#include "daemon/device_orders.hpp"
#include "daemon/https_server.hpp"
#include "daemon/problem.hpp"
#include "wire/enrolment_wire.hpp"

namespace rca {
namespace {

constexpr const char* kJson = "application/json";
// When a device refused with 503 (HQ failing, or registering again) asks again: about the link's
// first retries (core/hq_schedule), and device-enrol backs off further on its own.
constexpr const char* kUnavailableRetryAfter = "30";
// How often a device polls a pending order (RFC 9110 section 10.2.3): HQ's DNS-01 order with a
// public CA takes seconds.
constexpr const char* kPendingRetryAfter = "2";

// HQ cannot help now: 503 with when to ask again (RFC 9110 section 15.6.4).
void send_unavailable(httplib::Response& res, const std::string& detail) {
    send_problem(res, fail(Errc::unavailable, detail));
    res.set_header("Retry-After", kUnavailableRetryAfter);
}

// A relayed call did not reach HQ: the link counts it, so the next devices are answered at once.
void send_unreachable(httplib::Response& res, HqLink& link, const std::string& error) {
    link.relay_failed(error);
    send_unavailable(res, error);
}

// HQ answered, but not with success. The device's own refusals (is_device_refusal) are the
// device's to read: relayed with HQ's status, rebuilt from the parsed members only. A refusal of
// the router itself wakes the link to register again (registration is idempotent and gives a
// fresh credential; docs/hq.md "Homes"); that and anything else is HQ failing: 503.
void relay_refusal(httplib::Response& res, const HqAnswer& answer, HqRelay relay, HqLink& link) {
    if (!is_device_refusal(answer.status, relay)) {
        if (answer.status == 401 || answer.status == 403 || answer.status == 404) {
            link.reregister_now(hq_refusal(answer));
            return send_unavailable(res, "HQ refused this router's registration (" +
                                             hq_refusal(answer) +
                                             "); the router is registering its home again, try "
                                             "again shortly");
        }
        return send_unavailable(res, hq_refusal(answer));
    }
    std::string error;
    wire::Problem problem = wire::parse_problem(answer.body, error).value_or(wire::Problem{});
    if (problem.type.empty()) problem.type = "urn:router-ca:problem:hq-refused";
    if (problem.title.empty()) problem.title = "Refused by HQ";
    if (problem.detail.empty()) problem.detail = hq_refusal(answer);
    problem.status = answer.status;
    res.status = answer.status;
    // A per-home limit's 429 says when to come back (RFC 6585 section 4); only delta-seconds pass.
    if (const auto seconds = retry_after_seconds(answer))
        res.set_header("Retry-After", std::to_string(seconds->count()));
    res.set_content(wire::to_json(problem), wire::kProblemJson);
}

// HQ's certificate order as the device sees it, from HQ's answer (parsed, checked, rebuilt);
// `id` for answers that do not repeat it (HQ's GET). Returns the order's id ("" when unreadable).
std::string relay_order(httplib::Response& res, const HqAnswer& answer, int status,
                        const std::string& id) {
    std::string error;
    auto order = wire::parse_public_certificate_status(answer.body, error);
    if (order && order->id.empty()) order->id = id;
    if (!order || !is_hq_order_id(order->id)) {
        send_unavailable(res, "HQ's answer about the certificate cannot be read: " +
                                  (order ? std::string("bad order id") : error));
        return "";
    }
    res.status = status;
    if (status == 202)
        res.set_header("Location", std::string(wire::kPublicCertificatesPath) + "/" + order->id);
    // The device polls again after this many seconds (RFC 9110 section 10.2.3).
    if (order->status == "pending") res.set_header("Retry-After", kPendingRetryAfter);
    res.set_content(wire::to_json(*order), kJson);
    return order->id;
}

// The device already holds order `id` at HQ: 429 naming it (RFC 6585 section 4). Not the old
// order in a 202: its certificate is for the CSR sent then, perhaps for a key the device has
// since replaced.
void send_order_held(httplib::Response& res, const std::string& id) {
    wire::Problem problem;
    problem.type = "urn:router-ca:problem:order-pending";
    problem.title = "An order is pending";
    problem.status = 429;
    problem.detail =
        id.empty() ? "this device's order is being submitted to HQ; try again shortly"
                   : "this device's order " + id + " is still pending at HQ (one at a time per "
                     "device); poll GET " + wire::kPublicCertificatesPath + "/" + id;
    res.status = 429;
    if (!id.empty())
        res.set_header("Location", std::string(wire::kPublicCertificatesPath) + "/" + id);
    res.set_header("Retry-After", kPendingRetryAfter);
    res.set_content(wire::to_json(problem), wire::kProblemJson);
}

// True when HQ still has order `id` pending; false when it is done (issued, failed, unknown).
// Nullopt, with res answered, when HQ could not say.
std::optional<bool> still_pending(httplib::Response& res, HqLink& link, const std::string& id) {
    const auto answer = link.relay_client().certificate(id);
    if (!answer) {
        send_unreachable(res, link, answer.error());
        return std::nullopt;
    }
    if (answer.value().status == 404) return false;
    std::string error;
    const auto order = wire::parse_public_certificate_status(answer.value().body, error);
    if (answer.value().status != 200 || !order) {
        send_unavailable(res, hq_refusal(answer.value()));
        return std::nullopt;
    }
    return order->status == "pending";
}

// Sets the device's record at HQ and submits its CSR; answers res. Returns the order id HQ
// accepted, or "".
std::string submit(httplib::Response& res, HqLink& link, const HomeRegistration& registration,
                   const Device& device, const std::string& csr_pem) {
    if (auto failed = link.put_record_now(device.name, *device.ipv4)) {
        send_unavailable(res, *failed);
        return "";
    }
    const auto answer = link.relay_client().submit_certificate(
        registration.home.home, registration.credential, csr_pem);
    if (!answer) {
        send_unreachable(res, link, answer.error());
        return "";
    }
    if (answer.value().status != 202) {
        relay_refusal(res, answer.value(), HqRelay::order, link);
        return "";
    }
    return relay_order(res, answer.value(), 202, "");
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
        send_unavailable(res, registered.error());
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
    const auto orders = std::make_shared<DeviceOrders>();
    server.Post(wire::kPublicCertificatesPath, [&service, link, orders](
                                                   const httplib::Request& req,
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
        // One pending order per device; one that HQ has finished frees the device's slot.
        auto held = orders->claim(device.name);
        if (held && !held->empty()) {
            const auto pending = still_pending(res, *link, *held);
            if (!pending) return;
            if (*pending) return send_order_held(res, *held);
            orders->finished(device.name, *held);
            held = orders->claim(device.name);
        }
        if (held) return send_order_held(res, *held);
        const std::string id = submit(res, *link, registration, device, body->csr_pem);
        if (id.empty())
            orders->forget(device.name);
        else
            orders->remember(device.name, id);
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
                   const auto answer = link->relay_client().certificate(id);
                   if (!answer) return send_unreachable(res, *link, answer.error());
                   if (answer.value().status != 200)
                       return relay_refusal(res, answer.value(), HqRelay::poll, *link);
                   relay_order(res, answer.value(), 200, id);
               });
}

}  // namespace rca
