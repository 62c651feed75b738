// The ACME server's accounts (RFC 8555 section 7.3): registration behind the pairing gate, with
// or without External Account Binding, reading and updating an account, its orders list, key
// change (7.3.5) and deactivation.
#include <botan/hex.h>

#include <nlohmann/json.hpp>

#include "acme/acme_service.hpp"
#include "acme/acme_views.hpp"
#include "jose/base64url.hpp"

namespace rca::acme {

using nlohmann::json;

namespace {

// RFC 8555 section 7.3 leaves contact schemes to the server; mailto is all any client sends.
constexpr size_t kMaxContacts = 4;
constexpr size_t kMaxContactLength = 320;
// How many orders the account's "orders" list shows, newest first.
constexpr size_t kOrdersListed = 100;

AcmeResult<std::vector<std::string>> contacts_of(const json& payload) {
    std::vector<std::string> contacts;
    const auto it = payload.find("contact");
    if (it == payload.end() || it->is_null()) return contacts;
    if (!it->is_array() || it->size() > kMaxContacts)
        return problem(ProblemType::malformed, "\"contact\" must be an array of at most " +
                                                   std::to_string(kMaxContacts) + " URLs");
    for (const auto& c : *it) {
        if (!c.is_string())
            return problem(ProblemType::malformed, "each \"contact\" entry must be a string");
        const auto text = c.get<std::string>();
        if (text.rfind("mailto:", 0) != 0 || text.size() > kMaxContactLength ||
            text.find_first_of(",\r\n") != std::string::npos)
            return problem(ProblemType::unsupported_contact,
                           "only one-address mailto: contacts are accepted, not \"" +
                               text.substr(0, 64) + "\"");
        contacts.push_back(text);
    }
    return contacts;
}

// True when the request was signed by the account `id`.
bool is_account(const VerifiedRequest& request, const std::string& id) {
    return request.account && request.account->id == id;
}

}  // namespace

AcmeResult<Done> AcmeService::check_eab(const json& binding, const jose::Jwk& account_key,
                                        const AcmeUrls& urls, std::string& kid) {
    // Section 7.3.4: a JWS over the account key, MAC'd with the admin's key, naming it in "kid".
    if (!binding.is_object())
        return problem(ProblemType::malformed, "\"externalAccountBinding\" must be a JWS object");
    auto parsed = jose::parse_jws(binding.dump(), kMaxJwsBytes);
    if (!parsed)
        return problem(ProblemType::malformed,
                       "\"externalAccountBinding\" is not a valid JWS: " + parsed.error().detail);
    const jose::Jws& jws = parsed.value();
    if (jws.alg != jose::Alg::hs256 || jws.jwk || !jws.nonce.empty())
        return problem(ProblemType::malformed,
                       "\"externalAccountBinding\" must be HS256 with a \"kid\" and no \"jwk\" or "
                       "\"nonce\"");
    if (jws.url != urls.new_account())
        return problem(ProblemType::unauthorized,
                       "the externalAccountBinding \"url\" must be " + urls.new_account());
    const auto key = acme_store_.find_eab_key(jws.kid);
    if (!key)
        return problem(ProblemType::unauthorized,
                       "there is no External Account Binding key \"" + jws.kid +
                           "\"; make one with router-ca acme eab-create");
    if (!key->bound_account.empty())
        return problem(ProblemType::unauthorized,
                       "External Account Binding key " + jws.kid +
                           " has already made an account; make a new one for each client");
    if (!jose::verify_hs256(jws, key->mac_key))
        return problem(ProblemType::unauthorized,
                       "the externalAccountBinding MAC does not verify with key " + jws.kid);
    const auto bound =
        jose::parse_jwk(json::parse(jws.payload.begin(), jws.payload.end(), nullptr, false));
    if (!bound || bound.value().thumbprint != account_key.thumbprint)
        return problem(ProblemType::malformed,
                       "the externalAccountBinding payload must be the account's own JWK");
    kid = jws.kid;
    return Done{};
}

AcmeReply AcmeService::new_account(const AcmeRequest& request, const AcmeUrls& urls) {
    auto verified = verify(request, KeyRule::jwk, urls);
    if (!verified) return problem_reply(verified.error());
    const jose::Jwk& key = verified.value().key;
    const json& payload = verified.value().payload;
    if (!payload.is_object())
        return problem_reply(problem(ProblemType::malformed, "newAccount needs a JSON payload"));

    if (auto existing = acme_store_.find_account_by_thumbprint(key.thumbprint)) {
        // Section 7.3.1: the same key asking again gets its account back; 7.3.6: a deactivated
        // one answers 401 to anything its key signs.
        if (existing->status != AccountStatus::valid)
            return problem_reply(problem(ProblemType::account_not_valid,
                                         "the account of this key is " +
                                             std::string(to_string(existing->status)) +
                                             " and can no longer be used (RFC 8555 section "
                                             "7.3.6); register with a new key"));
        AcmeReply reply = json_reply(200, account_view(*existing, urls));
        reply.location = urls.account(existing->id);
        return reply;
    }
    const auto only_existing = payload.find("onlyReturnExisting");
    if (only_existing != payload.end() && only_existing->is_boolean() && only_existing->get<bool>())
        return problem_reply(
            problem(ProblemType::account_does_not_exist, "there is no account for this key"));
    auto contact = contacts_of(payload);
    if (!contact) return problem_reply(contact.error());
    if (!request.peer.empty() && store_.is_blocked(request.peer))
        return problem_reply(problem(ProblemType::unauthorized,
                                     "the router's admin has blocked this address from asking to "
                                     "pair"));

    Account account;
    account.id = random_id();
    account.jwk_json = key.canonical_json;
    account.thumbprint = key.thumbprint;
    account.contact = contact.value();
    account.created_at = clock_.now();
    account.source = request.peer;
    const auto binding = payload.find("externalAccountBinding");
    if (binding != payload.end()) {
        auto eab = check_eab(*binding, key, urls, account.eab_kid);
        if (!eab) return problem_reply(eab.error());
        account.approval = Approval::eab;
        account.approved_at = account.created_at;
    }
    const std::string how = account.eab_kid.empty() ? "waiting for the pairing button or the admin"
                                                    : "approved by EAB key " + account.eab_kid;
    // Anyone may make an account; those that cannot order yet are capped, the oldest giving way
    // (a real client is the newest asker at a press, docs/design.md). A deleted account that an
    // open window holds stays its candidate, so making room never lets a newcomer win alone.
    if (account.approval == Approval::waiting) {
        const auto& limits = settings_.unapproved_accounts;
        acme_store_.make_room_for_account(
            account.source, limits,
            AuditEvent{account.created_at, "acme.account.evicted", "",
                       "deleted, never approved, to make room for newer accounts (at most " +
                           std::to_string(limits.per_source) + " per address, " +
                           std::to_string(limits.total) + " in all)"});
    }
    if (!acme_store_.add_account(
            account, AuditEvent{account.created_at, "acme.account.created", account.id, how}))
        // Lost a race: the same key registered a moment ago, or the EAB key was just used.
        return problem_reply(problem(ProblemType::unauthorized,
                                     "an account for this key was just created, or the External "
                                     "Account Binding key was just used; retry"));
    AcmeReply reply = json_reply(201, account_view(account, urls));
    reply.location = urls.account(account.id);
    if (account.approval == Approval::waiting &&
        enrolment_.offer_to_pairing(
            {ParticipantId::acme_account(account.id), key.thumbprint, account.created_at}))
        reply.pairing_account = account.id;
    return reply;
}

AcmeReply AcmeService::account(const AcmeRequest& request, const AcmeUrls& urls,
                               const std::string& id) {
    auto verified = verify(request, KeyRule::kid, urls);
    if (!verified) return problem_reply(verified.error());
    if (!is_account(verified.value(), id))
        return problem_reply(problem(ProblemType::unauthorized,
                                     "a request about an account must be signed by that account"));
    Account account = *verified.value().account;
    const json& payload = verified.value().payload;
    if (payload.is_object() && payload.contains("contact")) {
        auto contact = contacts_of(payload);
        if (!contact) return problem_reply(contact.error());
        acme_store_.set_account_contact(id, contact.value());
        account.contact = contact.value();
    }
    const auto status = payload.is_object() ? payload.find("status") : payload.end();
    if (payload.is_object() && status != payload.end()) {
        if (*status != "deactivated")
            return problem_reply(problem(ProblemType::malformed,
                                         "an account's status can only be set to \"deactivated\""));
        // Section 7.3.6: final; its orders and authorizations can no longer be used.
        acme_store_.set_account_status(
            id, AccountStatus::deactivated,
            AuditEvent{clock_.now(), "acme.account.deactivated", id, "by its own key"});
        account.status = AccountStatus::deactivated;
    }
    AcmeReply reply = json_reply(200, account_view(account, urls));
    reply.location = urls.account(id);
    return reply;
}

AcmeReply AcmeService::account_orders(const AcmeRequest& request, const AcmeUrls& urls,
                                      const std::string& id) {
    auto verified = verify(request, KeyRule::kid, urls);
    if (!verified) return problem_reply(verified.error());
    if (!is_account(verified.value(), id))
        return problem_reply(
            problem(ProblemType::unauthorized, "only the account itself may list its orders"));
    json orders = json::array();
    for (const auto& o : acme_store_.orders_of(id, kOrdersListed))
        orders.push_back(urls.order(o.id));
    return json_reply(200, json{{"orders", orders}});
}

AcmeReply AcmeService::key_change(const AcmeRequest& request, const AcmeUrls& urls) {
    auto verified = verify(request, KeyRule::kid, urls);
    if (!verified) return problem_reply(verified.error());
    const Account& account = *verified.value().account;
    const json& payload = verified.value().payload;
    // Section 7.3.5: the payload is a JWS signed by the new key, over {account, oldKey}.
    auto inner = jose::parse_jws(payload.is_object() ? payload.dump() : "", kMaxJwsBytes);
    if (!inner)
        return problem_reply(problem(
            ProblemType::malformed,
            "the keyChange payload must be a JWS signed by the new key: " + inner.error().detail));
    const jose::Jws& jws = inner.value();
    if (!jws.jwk || !jws.kid.empty() || !jws.nonce.empty() || jws.alg == jose::Alg::hs256)
        return problem_reply(problem(ProblemType::malformed,
                                     "the inner keyChange JWS must carry the new key as \"jwk\" "
                                     "and no \"kid\" or \"nonce\""));
    if (jws.url != request.url)
        return problem_reply(
            problem(ProblemType::unauthorized, "the inner JWS \"url\" must equal the outer one"));
    if (auto ok = jose::verify(jws, *jws.jwk); !ok)
        return problem_reply(
            problem(ProblemType::malformed,
                    "the inner JWS is not signed by its own jwk: " + ok.error().detail));
    auto body = parse_payload_object(jws.payload);
    if (!body) return problem_reply(body.error());
    const json& change = body.value();
    const auto old_key = jose::parse_jwk(change.value("oldKey", json()));
    if (change.value("account", json()) != json(urls.account(account.id)) || !old_key ||
        old_key.value().thumbprint != account.thumbprint)
        return problem_reply(problem(ProblemType::malformed,
                                     "the inner payload must name this account and its current "
                                     "key as \"account\" and \"oldKey\""));
    // Section 7.3.5: a new key that already has an account is a conflict, answered with that
    // account's URL (also when a change for it won a race after this look).
    const auto key_in_use = [&] {
        const auto holder = acme_store_.find_account_by_thumbprint(jws.jwk->thumbprint);
        AcmeReply reply = problem_reply(
            problem(ProblemType::key_in_use, "the new key already belongs to an account"));
        if (holder) reply.location = urls.account(holder->id);
        return reply;
    };
    if (acme_store_.find_account_by_thumbprint(jws.jwk->thumbprint)) return key_in_use();
    if (!acme_store_.change_account_key(account.id, jws.jwk->canonical_json, jws.jwk->thumbprint,
                                        AuditEvent{clock_.now(), "acme.account.key-changed",
                                                   account.id, "new key " + jws.jwk->thumbprint}))
        return key_in_use();
    auto updated = acme_store_.find_account(account.id);
    AcmeReply reply = json_reply(200, account_view(*updated, urls));
    reply.location = urls.account(account.id);
    return reply;
}

}  // namespace rca::acme
