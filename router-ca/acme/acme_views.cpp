#include "acme/acme_views.hpp"

#include "core/time_text.hpp"

namespace rca::acme {
namespace {

using nlohmann::json;

json identifier_view(const std::string& value) { return json{{"type", "dns"}, {"value", value}}; }

json stored_problem_view(const StoredProblem& p) {
    return json{{"type", "urn:ietf:params:acme:error:" + p.type}, {"detail", p.detail}};
}

}  // namespace

json directory_view(const AcmeUrls& urls) {
    return json{{"newNonce", urls.new_nonce()},
                {"newAccount", urls.new_account()},
                {"newOrder", urls.new_order()},
                {"revokeCert", urls.revoke_cert()},
                {"keyChange", urls.key_change()},
                {"meta",
                 {{"website", urls.base + "/"},
                  // EAB is offered (router-ca acme eab-create), not required: the pairing button
                  // or the admin approves accounts without it (RFC 8555 section 7.3.4).
                  {"externalAccountRequired", false}}}};
}

json account_view(const Account& account, const AcmeUrls& urls) {
    return json{{"status", to_string(account.status)},
                {"contact", account.contact},
                {"orders", urls.account_orders(account.id)}};
}

json order_view(const Order& order, OrderStatus status, const AcmeUrls& urls) {
    json identifiers = json::array();
    for (const auto& value : order.identifiers) identifiers.push_back(identifier_view(value));
    json authorizations = json::array();
    for (const auto& id : order.authorization_ids) authorizations.push_back(urls.authz(id));
    json view{{"status", to_string(status)},
              {"expires", iso8601(order.expires)},
              {"identifiers", identifiers},
              {"authorizations", authorizations},
              {"finalize", urls.finalize(order.id)}};
    if (!order.error.type.empty()) view["error"] = stored_problem_view(order.error);
    if (status == OrderStatus::valid && !order.cert_serial.empty())
        view["certificate"] = urls.certificate(order.cert_serial);
    return view;
}

json authz_view(const Authorization& authz, AuthzStatus status, const AcmeUrls& urls) {
    return json{{"status", to_string(status)},
                {"expires", iso8601(authz.expires)},
                {"identifier", identifier_view(authz.identifier)},
                {"challenges", json::array({challenge_view(authz, status, kHttp01, urls),
                                            challenge_view(authz, status, kTlsAlpn01, urls)})}};
}

json challenge_view(const Authorization& authz, AuthzStatus status, const std::string& type,
                    const AcmeUrls& urls) {
    // The authorization's outcome is the attempted challenge's outcome (section 7.1.6).
    const char* state = "pending";
    if (authz.attempted == type) {
        if (status == AuthzStatus::valid) state = "valid";
        if (status == AuthzStatus::invalid) state = "invalid";
    }
    json view{{"type", type},
              {"url", urls.challenge(authz.id, type)},
              {"token", authz.token},
              {"status", state}};
    if (authz.attempted == type && authz.validated_at)
        view["validated"] = iso8601(*authz.validated_at);
    if (authz.attempted == type && !authz.error.type.empty())
        view["error"] = stored_problem_view(authz.error);
    return view;
}

json problem_view(const Problem& problem) {
    json view{{"type", problem_urn(problem.type)},
              {"detail", problem.detail},
              {"status", problem_status(problem.type)}};
    if (!problem.algorithms.empty()) view["algorithms"] = problem.algorithms;
    return view;
}

}  // namespace rca::acme
