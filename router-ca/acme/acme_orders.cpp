// The ACME server's orders and authorizations (RFC 8555 sections 7.4, 7.5): one device name per
// order, who may have a name (may_take), and their views.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "acme/acme_service.hpp"
#include "acme/acme_views.hpp"
#include "acme/identifier_policy.hpp"
#include "acme/order_state.hpp"

namespace rca::acme {

using nlohmann::json;

AcmeResult<Done> AcmeService::may_take(const std::string& label, const Account& account,
                                       std::optional<TimePoint> validated_at) {
    // "The first account to validate a name owns it", and ACME names share one namespace with
    // natively paired devices and the router.
    const auto device = store_.find_device_by_name(label);
    if (device && device->source != DeviceSource::acme)
        return problem(ProblemType::unauthorized,
                       label + "." + issuer_.policy().domain +
                           (device->source == DeviceSource::router
                                ? " is the router's own name"
                                : " belongs to a device paired with the router; pick another "
                                  "name, or remove that device in the admin UI"));
    const auto owner = acme_store_.name_owner(label);
    if (owner && *owner != account.id)
        return problem(ProblemType::unauthorized,
                       label + " is owned by another ACME account (" + *owner +
                           "); the router's admin can release it with router-ca acme release " +
                           label);
    // One press, one device (issue 15): an account the button approved may claim one name; a
    // second needs the admin's approval, as a second device would need another press.
    if (account.approval == Approval::pairing && !owner) {
        const auto held = acme_store_.names_of(account.id);
        if (!held.empty())
            return problem(ProblemType::unauthorized,
                           "this account was approved by the pairing button, which lets it hold "
                           "one name (it holds " +
                               held.front() +
                               "); the router's admin can let it have more: "
                               "router-ca acme approve " +
                               account.id);
    }
    // An admin's revocation holds until the admin releases the name; a release followed by this
    // account's own validation is the way back.
    const bool validated_since_revocation =
        device && device->revoked_at && validated_at && *validated_at >= *device->revoked_at;
    if (owner && device && device->revoked_at && !validated_since_revocation)
        return problem(ProblemType::unauthorized,
                       "the router's admin revoked " + label +
                           "; ask them to release it (router-ca acme release " + label + ")");
    return Done{};
}

AcmeReply AcmeService::new_order(const AcmeRequest& request, const AcmeUrls& urls) {
    auto verified = verify(request, KeyRule::kid, urls);
    if (!verified) return problem_reply(verified.error());
    const Account& account = *verified.value().account;
    if (!approved(account.approval))
        return problem_reply(problem(ProblemType::unauthorized, pairing_detail(account)));
    const json& payload = verified.value().payload;
    if (!payload.is_object())
        return problem_reply(problem(ProblemType::malformed, "newOrder needs a JSON payload"));
    if (payload.contains("notBefore") || payload.contains("notAfter"))
        return problem_reply(problem(ProblemType::malformed,
                                     "the router's CA sets certificate lifetimes itself; leave out "
                                     "notBefore and notAfter"));
    const auto list = payload.find("identifiers");
    if (list == payload.end() || !list->is_array())
        return problem_reply(
            problem(ProblemType::malformed, "newOrder needs an \"identifiers\" array"));
    std::vector<Identifier> identifiers;
    for (const auto& item : *list) {
        if (!item.is_object() || !item.contains("type") || !item["type"].is_string() ||
            !item.contains("value") || !item["value"].is_string())
            return problem_reply(problem(ProblemType::malformed,
                                         "each identifier is {\"type\": ..., \"value\": ...}"));
        identifiers.push_back({item["type"].get<std::string>(), item["value"].get<std::string>()});
    }
    auto names = accept_identifiers(issuer_.policy(), identifiers);
    if (!names) return problem_reply(names.error());
    if (auto ok = may_take(names.value().label, account, std::nullopt); !ok)
        return problem_reply(ok.error());

    const TimePoint now = clock_.now();
    // An order that did not become valid is rows in the store until it expires (purge_orders):
    // an approved account flooding orders would fill the flash (found by the adversarial review:
    // 3,000 orders, +1.5 MB).
    const auto recent = acme_store_.orders_of(account.id, settings_.open_orders_per_account);
    const bool all_open = std::all_of(recent.begin(), recent.end(), [&](const Order& o) {
        return o.status != OrderStatus::valid && o.expires > now;
    });
    if (recent.size() >= settings_.open_orders_per_account && all_open)
        return problem_reply(problem(
            ProblemType::rate_limited,
            "this account has " + std::to_string(recent.size()) +
                " unfinished orders; finish them, or wait until they expire, before a new one"));
    Order order;
    order.id = random_id();
    order.account_id = account.id;
    order.created_at = now;
    order.expires = now + settings_.order_lifetime;
    order.identifiers = names.value().identifiers;
    order.label = names.value().label;
    std::vector<Authorization> authzs;
    for (const auto& identifier : order.identifiers) {
        Authorization a;
        a.id = random_id();
        a.order_id = order.id;
        a.account_id = account.id;
        a.identifier = identifier;
        a.label = order.label;
        a.expires = order.expires;
        std::vector<uint8_t> token(16);  // section 8.1: at least 128 bits of entropy
        rng_.randomize(token.data(), token.size());
        a.token = jose::base64url_encode(token);
        order.authorization_ids.push_back(a.id);
        authzs.push_back(std::move(a));
    }
    acme_store_.add_order(order, authzs);
    return order_reply(order, authzs, urls, 201);
}

std::vector<Authorization> AcmeService::authorizations_of(const Order& order) {
    std::vector<Authorization> authzs;
    for (const auto& id : order.authorization_ids)
        if (auto a = acme_store_.find_authorization(id)) authzs.push_back(std::move(*a));
    return authzs;
}

AcmeReply AcmeService::order_reply(const Order& order, const std::vector<Authorization>& authzs,
                                   const AcmeUrls& urls, int status) {
    AcmeReply reply =
        json_reply(status, order_view(order, effective_status(order, authzs, clock_.now()), urls));
    reply.location = urls.order(order.id);
    return reply;
}

AcmeResult<AcmeService::Owned> AcmeService::owned_order(const AcmeRequest& request,
                                                        const AcmeUrls& urls,
                                                        const std::string& order_id) {
    auto verified = verify(request, KeyRule::kid, urls);
    if (!verified) return verified.error();
    auto order = acme_store_.find_order(order_id);
    // Another account's order is "not found" to this one: ids are not to be probed.
    if (!order || order->account_id != verified.value().account->id)
        return problem(ProblemType::not_found,
                       "there is no order " + order_id + " of this account");
    auto authzs = authorizations_of(*order);
    return Owned{std::move(verified).value(), std::move(*order), std::move(authzs)};
}

AcmeReply AcmeService::order(const AcmeRequest& request, const AcmeUrls& urls,
                             const std::string& id) {
    auto owned = owned_order(request, urls, id);
    if (!owned) return problem_reply(owned.error());
    return order_reply(owned.value().order, owned.value().authzs, urls, 200);
}

AcmeReply AcmeService::authorization(const AcmeRequest& request, const AcmeUrls& urls,
                                     const std::string& id) {
    auto verified = verify(request, KeyRule::kid, urls);
    if (!verified) return problem_reply(verified.error());
    auto authz = acme_store_.find_authorization(id);
    if (!authz || authz->account_id != verified.value().account->id)
        return problem_reply(problem(ProblemType::not_found,
                                     "there is no authorization " + id + " of this account"));
    const json& payload = verified.value().payload;
    if (payload.is_object() && payload.contains("status")) {
        if (payload["status"] != "deactivated")
            return problem_reply(problem(ProblemType::malformed,
                                         "an authorization's status can only be set to "
                                         "\"deactivated\""));
        const auto now_status = effective_status(*authz, clock_.now());
        if (now_status != AuthzStatus::pending && now_status != AuthzStatus::valid)
            return problem_reply(
                problem(ProblemType::malformed,
                        std::string("the authorization is already ") + to_string(now_status)));
        authz->status = AuthzStatus::deactivated;  // section 7.5.2
        acme_store_.update_authorization(*authz);
    }
    return json_reply(200, authz_view(*authz, effective_status(*authz, clock_.now()), urls));
}

}  // namespace rca::acme
