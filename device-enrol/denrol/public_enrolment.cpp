#include "denrol/public_enrolment.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "denrol/csr_maker.hpp"
#include "denrol/device_identity.hpp"
#include "denrol/key_maker.hpp"
#include "denrol/pending_key.hpp"
#include "denrol/public_certificate.hpp"

namespace denrol {
namespace {

using Kind = PublicOutcome::Kind;

// HTTP status of a router that has no home at HQ (docs/hq.md): nothing public to be had now.
constexpr int kNoHome = 503;
// HTTP status of an order the router or HQ no longer knows.
constexpr int kUnknownOrder = 404;

// The order a previous attempt left: its id at HQ and the name it is for.
struct KeptOrder {
    std::string id;
    std::string name;
};

std::optional<KeptOrder> read_kept_order(const EnrolmentDir& dir) {
    if (!dir.has(EnrolmentDir::kPublicOrder)) return std::nullopt;
    const auto text = dir.read(EnrolmentDir::kPublicOrder);
    if (!text) return std::nullopt;
    const auto j = nlohmann::json::parse(text.value(), nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("name") ||
        !j["name"].is_string())
        return std::nullopt;
    return KeptOrder{j["id"].get<std::string>(), j["name"].get<std::string>()};
}

std::string order_json(const KeptOrder& order) {
    return nlohmann::json{{"id", order.id}, {"name", order.name}}.dump() + "\n";
}

PublicOutcome outcome_for(Kind kind, const std::string& name, const InstalledPublic& cert) {
    PublicOutcome o;
    o.kind = kind;
    o.name = name;
    o.serial = cert.facts.serial;
    o.not_after = cert.facts.validity.not_after;
    o.renew_at = cert.renew_at;
    return o;
}

std::string problem_text(const rca::wire::PublicCertificateStatus& st) {
    if (!st.problem) return "no reason given";
    std::string text = !st.problem->detail.empty() ? st.problem->detail : st.problem->title;
    if (!st.problem->type.empty()) text += " (" + st.problem->type + ")";
    return text;
}

bool unknown_order(const Result<PublicReply>& reply) {
    return !reply && reply.error().code == Errc::refused &&
           reply.error().http_status == kUnknownOrder;
}

// The first answer about the public certificate for `name`: the order a previous attempt left for
// it (and its key) is polled, not placed again, since HQ and the public CA count every order
// against the vendor's rate limits; else, or when HQ no longer knows that order, a new one is
// placed with a CSR for `key` and kept in public-order.json. `order_id` is set to the order's id.
Result<PublicReply> place_or_resume(const EnrolmentDir& dir, RouterClient& client,
                                    const ClientIdentity& identity, const std::string& name,
                                    const Botan::Private_Key& key, std::string& order_id,
                                    Botan::RandomNumberGenerator& rng, const Log& log) {
    const auto kept = read_kept_order(dir);
    if (kept && kept->name == name) {
        log("polling the public certificate order for " + name + " placed earlier");
        order_id = kept->id;
        auto reply = client.poll_public(order_id, identity);
        if (!unknown_order(reply)) return reply;
    }
    if (auto forgotten = dir.forget(EnrolmentDir::kPublicOrder); !forgotten)
        return forgotten.error();
    log("asking the router for a public certificate for " + name);
    // The CN repeats the one SAN (docs/hq.md: HQ refuses a CN that differs).
    const std::string csr = make_csr_pem(key, name, rng, name);
    auto reply = client.submit_public(rca::wire::PublicCertificateSubmit{csr}, identity);
    if (reply && reply.value().status.status == "pending") {
        order_id = reply.value().status.id;
        if (auto stored =
                dir.keep_pending(EnrolmentDir::kPublicOrder, order_json({order_id, name}));
            !stored)
            return stored.error();
    }
    return reply;
}

}  // namespace

Result<PublicOutcome> obtain_public_certificate(const EnrolmentDir& dir, const DeviceState& state,
                                                const PublicOptions& o, Clock& clock,
                                                Botan::RandomNumberGenerator& rng, const Log& log) {
    const std::string& name = state.public_name;
    if (name.empty()) return PublicOutcome{};
    auto installed = read_installed_public(dir);
    if (!installed) return installed.error();
    if (installed.value() && installed.value()->name == name &&
        clock.now() < installed.value()->renew_at)
        return outcome_for(Kind::up_to_date, name, *installed.value());

    auto identity = load_identity(dir, state);
    if (!identity) return identity.error();
    const DeviceIdentity& id = identity.value();
    RouterClient client(id.router, id.root_pem, dir, o.http);

    // An order whose key is gone could only be answered with a certificate nothing can use.
    if (!dir.has(EnrolmentDir::kPublicOrderKey))
        if (auto forgotten = dir.forget(EnrolmentDir::kPublicOrder); !forgotten)
            return forgotten.error();
    // Its own key, not key.pem (which every local renewal replaces): the kept one while an
    // order for it is unanswered, else a new one.
    auto made =
        pending_key(dir, EnrolmentDir::kPublicOrderKey, public_key_type(state.key_type), rng);
    if (!made) return made.error();
    const auto& key = made.value();

    std::string order_id;
    auto reply = place_or_resume(dir, client, id.client, name, *key, order_id, rng, log);
    if (!reply && reply.error().code == Errc::refused && reply.error().http_status == kNoHome) {
        PublicOutcome none;
        none.name = name;
        none.detail = reply.error().detail;
        return none;
    }
    if (!reply) return reply.error();

    const TimePoint deadline = clock.now() + o.wait;
    for (;;) {
        const rca::wire::PublicCertificateStatus& st = reply.value().status;
        if (st.status == "issued") {
            auto checked = check_public_issue(st.chain, *key, name);
            if (!checked) {
                // Polling this order again would only fetch the same chain: order anew next time.
                if (auto forgotten = dir.forget(EnrolmentDir::kPublicOrder); !forgotten)
                    return forgotten.error();
                return checked.error();
            }
            auto done = dir.install_public(PublicBundle{
                private_key_pem(*key), checked.value().cert_pem, checked.value().chain_pem});
            if (!done) return done.error();
            auto now_installed = read_installed_public(dir);
            if (!now_installed) return now_installed.error();
            return outcome_for(Kind::installed, name, *now_installed.value());
        }
        if (st.status == "failed") {
            // The next attempt orders again (with the same kept key).
            if (auto forgotten = dir.forget(EnrolmentDir::kPublicOrder); !forgotten)
                return forgotten.error();
            return fail(Errc::refused, "HQ could not obtain a public certificate for " + name +
                                           ": " + problem_text(st));
        }
        if (st.status != "pending")
            return fail(Errc::protocol, "the router sent an unknown public certificate status \"" +
                                            st.status + "\"");
        const TimePoint now = clock.now();
        if (now >= deadline ||
            !clock.sleep_until(std::min(deadline, now + reply.value().retry_after))) {
            PublicOutcome later;
            later.kind = Kind::pending;
            later.name = name;
            return later;
        }
        auto next = client.poll_public(order_id, id.client);
        if (next) {
            reply = std::move(next);
        } else if (next.error().code == Errc::unreachable) {
            log(next.error().detail + "; still polling");
        } else {
            return next.error();
        }
    }
}

std::optional<TimePoint> public_due(const EnrolmentDir& dir, const DeviceState& state,
                                    TimePoint now) {
    if (state.public_name.empty()) return std::nullopt;
    const auto installed = read_installed_public(dir);
    if (installed && installed.value() && installed.value()->name == state.public_name)
        return installed.value()->renew_at;
    return now;
}

std::string describe_public(const Result<PublicOutcome>& r) {
    if (!r) return "no public certificate: " + r.error().detail;
    const PublicOutcome& o = r.value();
    switch (o.kind) {
        case Kind::not_offered:
            return o.name.empty() ? "the router offers no public certificate"
                                  : "no public certificate for " + o.name + " now: " + o.detail;
        case Kind::up_to_date:
            return "public certificate " + o.serial + " for " + o.name + " valid until " +
                   format_utc(o.not_after) + "; renewal at " + format_utc(o.renew_at);
        case Kind::installed:
            return "installed public certificate " + o.serial + " for " + o.name + " valid until " +
                   format_utc(o.not_after) + "; renewal at " + format_utc(o.renew_at);
        case Kind::pending:
            return "the public certificate for " + o.name +
                   " is not issued yet; `device-enrol run` keeps polling for it";
    }
    return "";
}

}  // namespace denrol
