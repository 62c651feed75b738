#include "acme/acme_service.hpp"

#include <algorithm>

#include <botan/hash.h>
#include <botan/hex.h>

#include "acme/acme_views.hpp"
#include "acme/identifier_policy.hpp"
#include "acme/order_state.hpp"

namespace rca::acme {
namespace {

using nlohmann::json;

// RFC 8555 section 7.3 leaves contact schemes to the server; mailto is all any client sends.
constexpr size_t kMaxContacts = 4;
constexpr size_t kMaxContactLength = 320;
// How many orders the account's "orders" list shows, newest first.
constexpr size_t kOrdersListed = 100;

AuditEvent audit(TimePoint at, std::string event, std::string subject, std::string detail) {
    return AuditEvent{at, std::move(event), std::move(subject), std::move(detail)};
}

AcmeReply json_reply(int status, json body) {
    AcmeReply reply;
    reply.status = status;
    reply.json = std::move(body);
    return reply;
}

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

std::string pairing_detail(const Account& account) {
    return "account " + account.id + " is not approved yet: press the pairing button on the " +
           "router, or approve account " + account.id +
           " in the admin UI (router-ca acme approve " + account.id + "), then try again";
}

AcmeReply problem_reply(const Problem& p) {
    AcmeReply reply = json_reply(problem_status(p.type), problem_view(p));
    reply.is_problem = true;
    return reply;
}

AcmeService::AcmeService(AcmeStore& acme_store, Store& store, EnrolmentService& enrolment,
                         const Issuer& issuer, ChallengeValidator& validator,
                         const TimeSource& clock, Botan::RandomNumberGenerator& rng,
                         AcmeSettings settings)
    : acme_store_(acme_store),
      store_(store),
      enrolment_(enrolment),
      issuer_(issuer),
      validator_(validator),
      clock_(clock),
      rng_(rng),
      settings_(settings),
      nonces_(rng) {
    PairingParticipant participant;
    participant.undecided = [this] {
        std::vector<PairingCandidate> waiting;
        // An account made from an address the admin has blocked since is no candidate, as the
        // address's device requests were denied when it was blocked.
        for (const auto& a : acme_store_.unapproved_accounts())
            if (a.approval == Approval::waiting && a.status == AccountStatus::valid &&
                (a.source.empty() || !store_.is_blocked(a.source)))
                waiting.push_back({ParticipantId::acme_account(a.id), a.thumbprint, a.created_at});
        return waiting;
    };
    participant.decide = [this](const PairingDecision& d) { decide_pairing(d); };
    participant.decided = [this] { pairing_decided(); };
    enrolment_.set_pairing_participant(std::move(participant));
}

json AcmeService::directory(const AcmeUrls& urls) const { return directory_view(urls); }

AcmeResult<VerifiedRequest> AcmeService::verify(const AcmeRequest& request, KeyRule rule,
                                                const AcmeUrls& urls) {
    return verify_request(request, rule, urls, acme_store_, nonces_);
}

std::string AcmeService::random_id() {
    std::vector<uint8_t> bytes(16);
    rng_.randomize(bytes.data(), bytes.size());
    return Botan::hex_encode(bytes, false);
}

// --- accounts --------------------------------------------------------------------------------

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
            audit(account.created_at, "acme.account.evicted", "",
                  "deleted, never approved, to make room for newer accounts (at most " +
                      std::to_string(limits.per_source) + " per address, " +
                      std::to_string(limits.total) + " in all)"));
    }
    if (!acme_store_.add_account(
            account, audit(account.created_at, "acme.account.created", account.id, how)))
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
            audit(clock_.now(), "acme.account.deactivated", id, "by its own key"));
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
                                        audit(clock_.now(), "acme.account.key-changed", account.id,
                                              "new key " + jws.jwk->thumbprint)))
        return key_in_use();
    auto updated = acme_store_.find_account(account.id);
    AcmeReply reply = json_reply(200, account_view(*updated, urls));
    reply.location = urls.account(account.id);
    return reply;
}

// --- orders ----------------------------------------------------------------------------------

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

// --- validation ------------------------------------------------------------------------------

AcmeResult<Ipv4> AcmeService::probe_address(const std::string& label, std::optional<Ipv4> source) {
    // Where the name resolves in the home zone; a name not there yet resolves to the client that
    // asks, which on a home LAN is the device itself.
    std::optional<Ipv4> address;
    const auto device = store_.find_device_by_name(label);
    if (device && !device->revoked_at && device->ipv4) address = device->ipv4;
    if (!address) address = source;
    if (!address)
        return problem(ProblemType::connection, "the router cannot tell where " + label +
                                                    " is: it is not in the home zone "
                                                    "and the request did not come over IPv4");
    if (!issuer_.policy().is_lan_address(*address))
        return problem(ProblemType::connection, "the router validates on its own LAN only, and " +
                                                    address->to_string() +
                                                    " is outside the LAN subnets");
    return *address;
}

ProbeOutcome AcmeService::probe(const Authorization& authz, const std::string& type, Ipv4 address,
                                const Account& account) {
    // The key authorization (section 8.1) is what the device proves it was given.
    const std::string key_authorization = authz.token + "." + account.thumbprint;
    if (type == kHttp01)
        return validator_.check_http01(
            {authz.identifier, address, settings_.http01_port, authz.token, key_authorization});
    const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
    const auto digest = hash->process(key_authorization);
    return validator_.check_tls_alpn01({authz.identifier, address, settings_.tls_alpn01_port,
                                        std::vector<uint8_t>(digest.begin(), digest.end())});
}

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
            auto address = probe_address(authz->label, request.source);
            if (!address) return address.error();
            const ProbeOutcome outcome = probe(*authz, type, address.value(), account);
            if (!outcome.ok()) {
                const auto kind = outcome.error.type == "connection"
                                      ? ProblemType::connection
                                      : ProblemType::incorrect_response;
                return problem(kind, outcome.error.detail);
            }
            const TimePoint at = clock_.now();
            if (!acme_store_.claim_name(
                    authz->label, account.id, at,
                    audit(at, "acme.name.claimed", authz->label, "by account " + account.id))) {
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
