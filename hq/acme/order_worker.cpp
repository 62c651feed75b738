#include "hq/acme/order_worker.hpp"

#include <botan/data_src.h>
#include <botan/x509cert.h>

#include "daemon/log.hpp"
#include "hq/core/key_authorization.hpp"
#include "hq/core/order_flow.hpp"
#include "jose/base64url.hpp"

namespace hq {
namespace {

using json = nlohmann::json;

// Orders taken per pass: the CA's answers, not HQ, are the bottleneck.
// One order per claim: on a shared store the claim's lease covers the work that follows it, so
// orders claimed in a batch and worked one after another could outlive their lease and be
// claimed and worked by another instance at the same time (two finalizes, one "failed").
constexpr size_t kOrdersPerPass = 1;
// The longest the thread sleeps without being woken: also how soon a retry that is due is seen.
constexpr std::chrono::milliseconds kIdleWait{500};

std::string string_member(const json& j, const char* name) {
    if (!j.is_object() || !j.contains(name) || !j[name].is_string()) return "";
    return j[name].get<std::string>();
}

// The problem of a failed authorization: its DNS-01 challenge's "error" (RFC 8555 §7.1.4), which
// says why the CA's validation failed; else the authorization itself.
std::string authorization_problem(const json& authz) {
    if (authz.contains("challenges") && authz["challenges"].is_array())
        for (const auto& c : authz["challenges"])
            if (c.is_object() && c.contains("error") && c["error"].is_object())
                return c["error"].dump();
    return json{{"type", "urn:hq:problem:authorization-invalid"},
                {"detail", "the CA's authorization is " + string_member(authz, "status")}}
        .dump();
}

// HQ's own problem document for a failure that is not the CA's answer.
std::string hq_problem(const char* type, const std::string& detail) {
    return json{{"type", std::string("urn:hq:problem:") + type}, {"detail", detail}}.dump();
}

// The "type" of a problem document; "" when it is not one.
std::string problem_type(const std::string& problem_json) {
    return string_member(json::parse(problem_json, nullptr, false), "type");
}

// The DER of the leaf, the first certificate of a PEM chain; nullopt when there is none.
std::optional<std::vector<uint8_t>> leaf_der(const std::string& chain_pem) {
    try {
        Botan::DataSource_Memory pem(chain_pem);
        return Botan::X509_Certificate(pem).BER_encode();
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string order_problem(const json& order) {
    if (order.contains("error") && order["error"].is_object()) return order["error"].dump();
    return json{{"type", "urn:hq:problem:order-invalid"},
                {"detail", "the CA's order is " + string_member(order, "status")}}
        .dump();
}

}  // namespace

OrderWorker::OrderWorker(HqStore& store, AcmeClient& client, const rca::TimeSource& time,
                         std::function<void(const std::string& home)> zone_changed)
    : store_(store), client_(client), time_(time), zone_changed_(std::move(zone_changed)) {}

OrderWorker::~OrderWorker() { stop(); }

void OrderWorker::start() {
    thread_ = std::thread([this] { run(); });
}

void OrderWorker::wake() {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        woken_ = true;
    }
    wake_.notify_one();
}

void OrderWorker::stop() {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void OrderWorker::run() {
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait_for(lock, kIdleWait, [this] { return woken_ || stopping_; });
            if (stopping_) return;
            woken_ = false;
        }
        // While the account waits for its next registration attempt no order can move, so none
        // is taken: a shared store's claims would otherwise hold the orders away from the other
        // instances until their lease ran out.
        if (!client_.has_account() && time_.now() < account_retry_at_) continue;
        try {
            auto due = store_.due_orders(time_.now(), kOrdersPerPass);
            for (auto& order : due) work(order);
            // More may be due: look again at once rather than after the idle wait.
            if (!due.empty()) {
                const std::lock_guard<std::mutex> lock(mutex_);
                woken_ = true;
            }
        } catch (const std::exception& e) {
            // A store failure: log it and try again at the next pass, never end the thread.
            rca::log_line(std::string("order worker: ") + e.what());
        }
    }
}

void OrderWorker::work(CertificateOrder& order) {
    if (order.status == OrderStatus::pending && order.revoke_reason &&
        before_finalize(order.step)) {
        rca::log_line("order " + order.id + " for " + order.name +
                      " given up: the home withdrew the name before it was finalized");
        return finish_failed(order, hq_problem("withdrawn", "the home withdrew " + order.name +
                                                                " before the CA signed it"));
    }
    if (order.status == OrderStatus::pending && order.step == OrderStep::new_order) {
        // Accepted while a router held the home, but it may have moved to another home or been
        // revoked since: the CA's quota is spent only for a home an unrevoked router holds
        // (docs/hq.md, "One new home a day"), or a thief cycling tokens keeps every old home's
        // queue.
        const auto router = store_.router_of_home(order.home);
        if (!router || router->revoked_at) {
            const std::string why = router
                                        ? "the credential of router " + router->id +
                                              ", which holds home " + order.home + ", was revoked"
                                        : "no router holds home " + order.home + " any more";
            return finish_failed(
                order, hq_problem("router-refused", why + "; the order was given up before it "
                                                          "was placed at the CA"));
        }
    }
    if (!client_.has_account()) {
        // Until the account exists no order can move; the orders themselves are left untouched
        // (their attempts count failures of their own steps), and the account is retried with
        // its own backoff rather than once per due order.
        if (time_.now() < account_retry_at_) return;
        auto account = client_.ensure_account();
        if (!account) {
            ++account_failures_;
            const auto delay = retry_delay(account_failures_, account.error().retry_after);
            account_retry_at_ = time_.now() + delay;
            rca::log_line("cannot register the ACME account (retry in " +
                          std::to_string(delay.count()) + " s): " + account.error().problem_json);
            return;
        }
        account_failures_ = 0;
        rca::log_line("ACME account ready");
    }
    std::optional<AcmeFailure> failure;
    const OrderStep before = order.step;
    step(order, failure);
    if (!failure) return;
    if (!failure->transient) return give_up(order, failure->problem_json);
    order.attempts += 1;
    if (order.attempts > kMaxAttempts) {
        rca::log_line("order " + order.id + " gives up at step " + to_string(before) + ": " +
                      failure->problem_json);
        return give_up(order, failure->problem_json);
    }
    const auto delay = retry_delay(order.attempts, failure->retry_after);
    rca::log_line("order " + order.id + " at step " + to_string(before) + ": transient failure, " +
                  "retry in " + std::to_string(delay.count()) + " s: " + failure->problem_json);
    order.next_attempt_at = time_.now() + delay;
    store_.update_order(order);
}

void OrderWorker::finish_failed(CertificateOrder& order, const std::string& problem_json) {
    store_.remove_challenges(order.id);
    zone_changed_(order.home);
    order.status = OrderStatus::failed;
    order.step = OrderStep::done;
    order.problem_json = problem_json;
    store_.update_order(order);
    rca::log_line("order " + order.id + " for " + order.name + " failed: " + problem_json);
}

void OrderWorker::give_up(CertificateOrder& order, const std::string& problem_json) {
    if (order.step == OrderStep::revoke) return revocation_refused(order, problem_json);
    finish_failed(order, problem_json);
}

void OrderWorker::revocation_refused(CertificateOrder& order, const std::string& problem_json) {
    order.status = OrderStatus::issued;
    order.step = OrderStep::done;
    order.problem_json = problem_json;
    store_.update_order(order);
    rca::log_line("order " + order.id + " for " + order.name +
                  ": the CA refused to revoke its certificate: " + problem_json);
}

void OrderWorker::revoke(CertificateOrder& order, std::optional<AcmeFailure>& failure) {
    if (client_.revoke_cert_url().empty())
        return revocation_refused(
            order, hq_problem("bad-ca-answer", "the CA's directory offers no revokeCert"));
    const auto der = leaf_der(order.chain_pem);
    if (!der)
        return revocation_refused(
            order, hq_problem("internal", "the stored chain holds no readable certificate"));
    // §7.6: the account that ordered it may revoke it, with an optional reason; RFC 5280
    // §5.3.1 wants "unspecified" left out.
    json payload{{"certificate", rca::jose::base64url_encode(*der)}};
    const auto reason = order.revoke_reason.value_or(rca::RevocationReason::unspecified);
    if (reason != rca::RevocationReason::unspecified) payload["reason"] = rca::reason_code(reason);
    auto call = client_.post(client_.revoke_cert_url(), payload);
    // Revoked before (a repeated step after a restart, or by someone holding the key): done.
    if (!call &&
        problem_type(call.error().problem_json) != "urn:ietf:params:acme:error:alreadyRevoked")
        return void(failure = call.error());
    order.status = OrderStatus::revoked;
    order.step = OrderStep::done;
    order.attempts = 0;
    store_.update_order(order);
    rca::log_line("order " + order.id + " for " + order.name + ": certificate revoked at the CA (" +
                  rca::to_string(reason) + ")");
}

void OrderWorker::step(CertificateOrder& order, std::optional<AcmeFailure>& failure) {
    // Each branch either fills `failure` (order untouched) or moves the order on and saves it.
    auto call_failed = [&failure](AcmeCall& call) {
        if (call) return false;
        failure = call.error();
        return true;
    };
    auto save = [this, &order](OrderStep next, std::chrono::seconds delay) {
        order.step = next;
        order.attempts = 0;
        order.next_attempt_at = time_.now() + delay;
        store_.update_order(order);
    };
    auto poll_later = [this, &order, &save](const AcmeResponse& r) {
        save(order.step, r.retry_after ? retry_delay(1, r.retry_after) : kPollInterval);
    };

    switch (order.step) {
        case OrderStep::new_order: {
            auto call =
                client_.post(client_.new_order_url(),
                             json{{"identifiers", {{{"type", "dns"}, {"value", order.name}}}}});
            if (call_failed(call)) return;
            const json& o = call.value().json;
            const bool has_authz = o.contains("authorizations") && o["authorizations"].is_array() &&
                                   o["authorizations"].size() == 1 &&
                                   o["authorizations"][0].is_string();
            if (call.value().location.empty() || !has_authz || string_member(o, "finalize").empty())
                return finish_failed(order, json{{"type", "urn:hq:problem:bad-ca-answer"},
                                                 {"detail",
                                                  "newOrder's answer lacks a Location, "
                                                  "one authorization or finalize"}}
                                                .dump());
            order.order_url = call.value().location;
            // One line per CA order: with several instances, the logs show which one made it.
            rca::log_line("order " + order.id + " for " + order.name + ": new order at the CA " +
                          order.order_url);
            order.finalize_url = string_member(o, "finalize");
            order.authz_url = o["authorizations"][0].get<std::string>();
            return save(OrderStep::authorize, std::chrono::seconds{0});
        }
        case OrderStep::authorize:
        case OrderStep::poll_authz: {
            auto call = client_.post(order.authz_url, std::nullopt);
            if (call_failed(call)) return;
            const json& authz = call.value().json;
            const Transition t =
                after_authorization(order.step, acme_status_from(string_member(authz, "status")));
            if (t.kind == Transition::Kind::fail)
                return finish_failed(order, authorization_problem(authz));
            if (t.kind == Transition::Kind::wait) return poll_later(call.value());
            if (t.next == OrderStep::finalize) {
                // Validated (or reused by the CA): the TXT record has done its job (§8.4).
                store_.remove_challenges(order.id);
                zone_changed_(order.home);
                return save(OrderStep::finalize, std::chrono::seconds{0});
            }
            // Publish the DNS-01 record before telling the CA to look (§7.5.1, §8.4).
            std::string token;
            for (const auto& c : authz.value("challenges", json::array())) {
                if (string_member(c, "type") == "dns-01") {
                    token = string_member(c, "token");
                    order.challenge_url = string_member(c, "url");
                }
            }
            // RFC 8555 §8.1: a token has at least 128 bits of entropy, as base64url.
            if (token.size() < 22 || !rca::jose::base64url_decode(token) ||
                order.challenge_url.empty())
                return finish_failed(order, json{{"type", "urn:hq:problem:bad-ca-answer"},
                                                 {"detail",
                                                  "the authorization offers no usable "
                                                  "dns-01 challenge"}}
                                                .dump());
            store_.put_challenge(
                {order.id, dns01_owner(order.name), dns01_txt_value(token, client_.thumbprint())});
            zone_changed_(order.home);
            rca::log_line("order " + order.id + ": challenge TXT published for " +
                          dns01_owner(order.name));
            return save(OrderStep::respond, std::chrono::seconds{0});
        }
        case OrderStep::respond: {
            // §7.5.1: an empty JSON object says "the challenge is ready".
            auto call = client_.post(order.challenge_url, json::object());
            // A final refusal here is not the end: after a restart HQ may respond twice, and a
            // CA may refuse a challenge that is already processing. The authorization's status,
            // read next, is the truth.
            if (!call && call.error().transient) return void(failure = call.error());
            return save(OrderStep::poll_authz, kPollInterval);
        }
        case OrderStep::finalize:
        case OrderStep::poll_order: {
            auto call = client_.post(order.order_url, std::nullopt);
            if (call_failed(call)) return;
            const json& o = call.value().json;
            const AcmeStatus status = acme_status_from(string_member(o, "status"));
            const Transition t = after_order(order.step, status);
            if (t.kind == Transition::Kind::fail) return finish_failed(order, order_problem(o));
            if (t.kind == Transition::Kind::wait) return poll_later(call.value());
            if (order.step == OrderStep::finalize && status == AcmeStatus::ready) {
                auto fin = client_.post(order.finalize_url,
                                        json{{"csr", rca::jose::base64url_encode(order.csr_der)}});
                if (call_failed(fin)) return;
                return save(OrderStep::poll_order, kPollInterval);
            }
            if (t.next == OrderStep::download) {
                order.certificate_url = string_member(o, "certificate");
                if (order.certificate_url.empty())
                    return finish_failed(order, json{{"type", "urn:hq:problem:bad-ca-answer"},
                                                     {"detail",
                                                      "a valid order without a "
                                                      "certificate URL"}}
                                                    .dump());
            }
            return save(t.next, std::chrono::seconds{0});
        }
        case OrderStep::download: {
            auto call = client_.post(order.certificate_url, std::nullopt);
            if (call_failed(call)) return;
            if (call.value().body.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
                return finish_failed(order, json{{"type", "urn:hq:problem:bad-ca-answer"},
                                                 {"detail",
                                                  "the certificate URL did not answer "
                                                  "a PEM chain"}}
                                                .dump());
            order.chain_pem = call.value().body;
            rca::log_line("order " + order.id + " for " + order.name + " issued");
            // Issued after the home withdrew the name: revoked next, at once.
            order.status = order.revoke_reason ? OrderStatus::revoking : OrderStatus::issued;
            return save(order.revoke_reason ? OrderStep::revoke : OrderStep::done,
                        std::chrono::seconds{0});
        }
        case OrderStep::revoke:
            return revoke(order, failure);
        case OrderStep::done:
            return;
    }
}

}  // namespace hq
