// The ACME server's challenges (RFC 8555 section 7.5.1): a POST asks for validation, which runs
// at once through ChallengeProbe (the network), then claims the name for the account.
#include <nlohmann/json.hpp>

#include "acme/acme_service.hpp"
#include "acme/acme_views.hpp"
#include "acme/order_state.hpp"

namespace rca::acme {

using nlohmann::json;

AcmeReply AcmeService::challenge(const AcmeRequest& request, const AcmeUrls& urls,
                                 const std::string& authz_id, const std::string& type) {
    auto verified = verify(request, KeyRule::kid, urls);
    if (!verified) return problem_reply(verified.error());
    const Account& account = *verified.value().account;
    auto authz = acme_store_.find_authorization(authz_id);
    if (!authz || authz->account_id != account.id || (type != kHttp01 && type != kTlsAlpn01))
        return problem_reply(problem(ProblemType::not_found, "there is no challenge " + type +
                                                                 " of authorization " + authz_id +
                                                                 " of this account"));
    const TimePoint now = clock_.now();
    // Section 7.5.1: a POST with a payload ({}) asks for validation; POST-as-GET only reads.
    const bool respond = verified.value().payload.is_object();
    if (respond && effective_status(*authz, now) == AuthzStatus::pending) {
        authz->attempted = type;
        auto outcome = [&]() -> AcmeResult<Ipv4> {
            if (!approved(account.approval))
                return problem(ProblemType::unauthorized, pairing_detail(account));
            if (auto ok = may_take(authz->label, account, std::nullopt); !ok) return ok.error();
            auto address = challenges_.validate(*authz, type, request.source, account.thumbprint);
            if (!address) return address.error();
            const TimePoint at = clock_.now();
            if (!acme_store_.claim_name(authz->label, account.id, at,
                                        AuditEvent{at, "acme.name.claimed", authz->label,
                                                   "by account " + account.id})) {
                // Lost a race: another account or device took the name, or another validation
                // of this pairing-approved account took its one name; may_take says which.
                if (auto why = may_take(authz->label, account, std::nullopt); !why)
                    return why.error();
                return problem(ProblemType::unauthorized,
                               authz->label + " was just taken by another account");
            }
            return address.value();
        }();
        if (outcome) {
            authz->status = AuthzStatus::valid;
            authz->validated_at = clock_.now();
            authz->validated_address = outcome.value();
            authz->error = {};
        } else {
            authz->status = AuthzStatus::invalid;
            authz->error = {problem_name(outcome.error().type), outcome.error().detail};
        }
        acme_store_.update_authorization(*authz);
    }
    AcmeReply reply =
        json_reply(200, challenge_view(*authz, effective_status(*authz, clock_.now()), type, urls));
    reply.links.push_back({urls.authz(authz->id), "up"});
    return reply;
}

}  // namespace rca::acme
