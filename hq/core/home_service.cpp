#include "hq/core/home_service.hpp"

#include <botan/hash.h>
#include <botan/mem_ops.h>

#include <algorithm>

#include "core/name_assigner.hpp"
#include "hq/core/home_csr.hpp"
#include "hq/core/input_rules.hpp"
#include "hq/core/router_registry.hpp"
#include "jose/base64url.hpp"

namespace hq {
namespace {

// A registration races another for the same generated name at most a few times; past this the
// store is misbehaving and the caller sees an exception, not a loop.
constexpr int kMaxNameRaces = 16;

Bytes sha256(const std::string& text) {
    const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
    hash->update(text);
    const auto digest = hash->final();
    return Bytes(digest.begin(), digest.end());
}

// A router revoked between its authentication and the binding of its home.
HqError revoked_meanwhile() {
    return {HqErrc::router_unauthenticated,
            "the router's credential was revoked; it cannot register"};
}

// A home whose router was revoked: its token alone does not bring it back.
HqError revoked_holder(const std::string& home, const std::string& router) {
    return {HqErrc::router_refused,
            "home " + home + "'s router " + router +
                " was revoked: the home cannot be taken over with its token; an operator must "
                "act (docs/hq.md, \"Router credentials\")"};
}

// A router that made a new home less than kNewHomeInterval before now.
HqError too_soon(const RouterCredential& router, TimePoint now) {
    const TimePoint next = router.last_new_home_at.value_or(now) + kNewHomeInterval;
    // Rounded up, and at least 1: a client that waits as told is not refused again.
    const auto wait = std::max<std::chrono::seconds>(
        std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(next - now));
    return {HqErrc::too_many_requests,
            "router " + router.id +
                " made a new home less than 24 h ago; a router makes at most one new home a day "
                "(registering its current home's token again is always allowed); retry after " +
                std::to_string(wait.count()) + " s",
            wait};
}

}  // namespace

Bytes secret_hash(const std::string& text) { return sha256(text); }

std::string credential_for(const std::string& token) {
    return rca::jose::base64url_encode(sha256("hq credential v1:" + token));
}

HomeService::HomeService(HqStore& store, std::string zone_apex, OrderLimits limits,
                         Botan::RandomNumberGenerator& rng, const rca::TimeSource& time,
                         std::function<void(const std::string& home)> zone_changed)
    : store_(store),
      zone_apex_(std::move(zone_apex)),
      limits_(limits),
      rng_(rng),
      time_(time),
      zone_changed_(std::move(zone_changed)) {}

HqResult<RouterCredential> HomeService::authenticate(const std::optional<RouterLogin>& login) {
    return authenticate_router(store_, login);
}

HqResult<Registration> HomeService::register_home(const std::optional<RouterLogin>& login,
                                                  const std::string& token,
                                                  const std::string& address) {
    // The router first: without a genuine router's credential nothing else is looked at.
    const auto router = authenticate(login);
    if (!router) return router.error();
    return register_home(router.value(), token, address);
}

HqResult<Registration> HomeService::register_home(const RouterCredential& router,
                                                  const std::string& token,
                                                  const std::string& address) {
    if (auto ok = check_token(token); !ok) return ok.error();
    const auto ip = parse_private_address(address);
    if (!ip) return ip.error();
    const Bytes token_hash = secret_hash(token);
    const std::string credential = credential_for(token);

    for (int race = 0; race < kMaxNameRaces; ++race) {
        if (auto existing = store_.home_by_token(token_hash)) {
            // The same router again (it lost the answer, or re-registers on start): same home,
            // and its address brought up to date. Another router presenting the token (the
            // router replaced, its data restored) takes the home over: the token proves the
            // home, the credential the router. Not a revoked router's home, though: revoking it
            // would be undone by anyone holding its token (docs/hq.md, "Revoking").
            if (auto holder = store_.router_of_home(existing->name); holder && holder->revoked_at)
                return revoked_holder(existing->name, holder->id);
            if (!store_.bind_router(router.id, existing->name)) {
                if (auto holder = store_.router_of_home(existing->name);
                    holder && holder->revoked_at)
                    return revoked_holder(existing->name, holder->id);
                return revoked_meanwhile();
            }
            store_.put_record({existing->name, kRouterRecordLabel, ip.value()});
            zone_changed_(existing->name);
            return Registration{existing->name, existing->name + "." + zone_apex_, credential,
                                false};
        }
        // Adjective-surname names, as the router names devices (router-ca/core/name_assigner).
        const std::string name = rca::assign_name(
            "", [&](const std::string& n) { return store_.home_by_name(n).has_value(); }, rng_);
        Home home{name, token_hash, secret_hash(credential), time_.now()};
        // One home per router, and one new home a day: a stolen secret is worth one home's
        // limits, not a home's limits per fresh token.
        switch (store_.insert_home(home, {name, kRouterRecordLabel, ip.value()}, router.id)) {
            case HomeInsert::inserted:
                zone_changed_(name);
                return Registration{name, name + "." + zone_apex_, credential, true};
            case HomeInsert::router_refused:
                return revoked_meanwhile();
            case HomeInsert::too_soon:
                return too_soon(store_.router(router.id).value_or(router), home.created_at);
            case HomeInsert::name_taken:
            case HomeInsert::token_taken:
                break;
        }
        // Another registration took the name or the token first: look again.
    }
    throw std::runtime_error("could not register a home after " + std::to_string(kMaxNameRaces) +
                             " attempts: the store keeps refusing new names");
}

HqResult<Home> HomeService::authorize(const std::string& home, const std::string& credential,
                                      bool ordering) {
    if (credential.empty())
        return HqError{HqErrc::unauthenticated,
                       "send the home's credential as \"Authorization: Bearer <credential>\""};
    auto found = store_.home_by_name(home);
    if (!found)
        return HqError{HqErrc::not_found, "no home is called \"" + home.substr(0, 80) + "\""};
    const Bytes presented = secret_hash(credential);
    // Constant time, although both sides are hashes: it costs nothing and ends the argument.
    if (presented.size() != found->credential_hash.size() ||
        !Botan::constant_time_compare(presented.data(), found->credential_hash.data(),
                                      presented.size()))
        return HqError{HqErrc::forbidden, "this credential is not the credential of home " + home};
    if (ordering) {
        // Records and certificates spend the vendor's DNS and the public CA's limits: only while
        // a genuine, unrevoked router holds the home (docs/hq.md, "Router credentials").
        const auto router = store_.router_of_home(home);
        if (!router)
            return HqError{HqErrc::router_refused,
                           "no router credential holds home " + home +
                               ": its router registered another home, or the home predates "
                               "router credentials; the router must register again with its "
                               "factory credential"};
        if (router->revoked_at)
            return HqError{HqErrc::router_refused,
                           "the credential of router " + router->id + ", which holds home " + home +
                               ", was revoked: the home can order nothing more"};
    }
    return std::move(*found);
}

HqResult<HomeRecord> HomeService::set_record(const std::string& home, const std::string& credential,
                                             const std::string& label, const std::string& address) {
    if (auto ok = check_label(home, "home"); !ok) return ok.error();
    if (auto ok = check_label(label, "label"); !ok) return ok.error();
    auto owner = authorize(home, credential, /*ordering=*/true);
    if (!owner) return owner.error();
    const auto ip = parse_private_address(address);
    if (!ip) return ip.error();
    HomeRecord record{home, label, ip.value()};
    store_.put_record(record);
    zone_changed_(home);
    return record;
}

HqResult<CertificateOrder> HomeService::request_certificate(const std::string& home,
                                                            const std::string& credential,
                                                            const std::string& csr_pem) {
    if (auto ok = check_label(home, "home"); !ok) return ok.error();
    auto owner = authorize(home, credential, /*ordering=*/true);
    if (!owner) return owner.error();
    auto der = csr_der_from_pem(csr_pem);
    if (!der) return der.error();
    auto name = check_home_csr(der.value(), home + "." + zone_apex_);
    if (!name) return name.error();

    CertificateOrder order;
    Bytes id(16);  // 128 bits: the id is the only thing that guards the poll
    rng_.randomize(id.data(), id.size());
    order.id = rca::jose::base64url_encode(id);
    order.home = home;
    order.name = name.value();
    order.csr_der = std::move(der).value();
    order.created_at = time_.now();
    order.next_attempt_at = order.created_at;
    std::optional<HqError> refused;
    if (store_.insert_order_within(order, limits_, order.created_at - kCertificateWindow,
                                   refused) != OrderInsert::inserted)
        return *refused;
    return order;
}

HqResult<Withdrawal> HomeService::withdraw_name(const std::string& home,
                                                const std::string& credential,
                                                const std::string& label,
                                                const std::string& reason) {
    if (auto ok = check_label(home, "home"); !ok) return ok.error();
    if (auto ok = check_label(label, "label"); !ok) return ok.error();
    // The credential names the home, and the home's name is part of every name withdrawn: one
    // home's credential can never withdraw another home's names. A home whose router was
    // revoked may still withdraw: taking a name and its certificates away only lowers exposure.
    auto owner = authorize(home, credential, /*ordering=*/false);
    if (!owner) return owner.error();
    const auto parsed = rca::revocation_reason_from(reason);
    if (!parsed)
        return HqError{
            HqErrc::bad_request,
            "\"reason\" must be one of " + rca::revocation_reason_names() + " (RFC 5280 §5.3.1)"};
    const std::string name = label + "." + home + "." + zone_apex_;
    const size_t marked = store_.withdraw_name(home, label, name, *parsed, time_.now());
    zone_changed_(home);
    return Withdrawal{name, marked};
}

HqResult<CertificateOrder> HomeService::certificate(const std::string& id) {
    auto order = store_.order(id);
    if (!order) return HqError{HqErrc::not_found, "no certificate order has this id"};
    return std::move(*order);
}

}  // namespace hq
