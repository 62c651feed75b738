#include "acme/request_verifier.hpp"

#include "common/ascii_lower.hpp"
#include "jose/strict_json.hpp"

namespace rca::acme {
namespace {

// ACME requests are "application/jose+json" (section 6.2); parameters such as a charset are
// tolerated, other types are not.
bool is_jose_json(const std::string& content_type) {
    const std::string type = ascii_lower(content_type.substr(0, content_type.find(';')));
    const auto last = type.find_last_not_of(" \t");
    return type.substr(0, last == std::string::npos ? 0 : last + 1) == "application/jose+json";
}

Problem from_jose(const jose::JoseError& e) {
    switch (e.code) {
        case jose::JoseErrc::bad_signature_algorithm:
            return Problem{ProblemType::bad_signature_algorithm, e.detail,
                           jose::asymmetric_alg_names()};
        case jose::JoseErrc::bad_public_key:
            return problem(ProblemType::bad_public_key, e.detail);
        case jose::JoseErrc::bad_signature:
            return problem(ProblemType::malformed,
                           "the JWS signature does not verify: " + e.detail);
        case jose::JoseErrc::malformed:
            break;
    }
    return problem(ProblemType::malformed, e.detail);
}

// The account a "kid" names: the account URL this server gave out (section 7.3).
AcmeResult<Account> account_of(const std::string& kid, const AcmeUrls& urls, AcmeStore& store) {
    const std::string prefix = urls.account("");
    if (kid.size() <= prefix.size() || kid.compare(0, prefix.size(), prefix) != 0)
        return problem(ProblemType::account_does_not_exist,
                       "\"kid\" must be the account URL this server returned (" + prefix + "<id>)");
    auto account = store.find_account(kid.substr(prefix.size()));
    if (!account)
        return problem(ProblemType::account_does_not_exist,
                       "there is no account " + kid + "; create one with newAccount");
    if (account->status != AccountStatus::valid)
        return problem(ProblemType::account_not_valid,
                       "account " + account->id + " is " + to_string(account->status) +
                           " and can no longer be used (RFC 8555 section 7.3.6)");
    return *account;
}

AcmeResult<jose::Jwk> stored_key(const Account& account) {
    const auto json = nlohmann::json::parse(account.jwk_json, nullptr, false);
    auto key = jose::parse_jwk(json);
    if (!key) return problem(ProblemType::server_internal, "the stored account key is unreadable");
    return std::move(key).value();
}

}  // namespace

AcmeResult<nlohmann::json> parse_payload_object(const jose::Bytes& payload) {
    auto json = jose::parse_strict_json(
        std::string_view(reinterpret_cast<const char*>(payload.data()), payload.size()),
        "the JWS payload");
    if (!json) return problem(ProblemType::malformed, json.error().detail);
    if (!json.value().is_object())
        return problem(ProblemType::malformed, "the JWS payload must be a JSON object");
    return std::move(json).value();
}

AcmeResult<VerifiedRequest> verify_request(const AcmeRequest& request, KeyRule rule,
                                           const AcmeUrls& urls, AcmeStore& store,
                                           NonceStore& nonces) {
    if (!is_jose_json(request.content_type))
        return problem(ProblemType::unsupported_media_type,
                       "ACME requests must be sent as Content-Type: application/jose+json, not \"" +
                           request.content_type + "\"");
    auto parsed = jose::parse_jws(request.body, kMaxJwsBytes);
    if (!parsed) return from_jose(parsed.error());
    jose::Jws jws = std::move(parsed).value();
    if (jws.alg == jose::Alg::hs256)
        return Problem{ProblemType::bad_signature_algorithm,
                       "HS256 is only for externalAccountBinding; sign requests with the "
                       "account key",
                       jose::asymmetric_alg_names()};

    VerifiedRequest verified;
    const bool has_jwk = jws.jwk.has_value();
    const bool has_kid = !jws.kid.empty();
    if (rule == KeyRule::jwk && !has_jwk)
        return problem(ProblemType::malformed,
                       "this request must carry the new account's key in \"jwk\", not \"kid\"");
    if (rule == KeyRule::kid && !has_kid)
        return problem(ProblemType::malformed,
                       "this request must name its account in \"kid\", not carry a \"jwk\"");
    if (!has_jwk && !has_kid)
        return problem(ProblemType::malformed,
                       "the protected header has neither \"jwk\" nor \"kid\"");
    if (has_kid) {
        auto account = account_of(jws.kid, urls, store);
        if (!account) return account.error();
        auto key = stored_key(account.value());
        if (!key) return key.error();
        verified.account = std::move(account).value();
        verified.key = std::move(key).value();
    } else {
        verified.key = *jws.jwk;
    }

    auto signature = jose::verify(jws, verified.key);
    if (!signature) return from_jose(signature.error());
    // Section 6.4: the signed URL binds the request to this resource, so it cannot be replayed
    // against another.
    if (jws.url != request.url)
        return problem(ProblemType::unauthorized, "the JWS \"url\" is \"" + jws.url +
                                                      "\" but the request was sent to \"" +
                                                      request.url + "\"");
    if (jws.nonce.empty() || !nonces.consume(jws.nonce))
        return problem(ProblemType::bad_nonce,
                       jws.nonce.empty()
                           ? "the protected header has no \"nonce\"; get one from newNonce"
                           : "the nonce was used before or is unknown; retry with the one in "
                             "this answer's Replay-Nonce header");

    if (!jws.payload_b64.empty()) {
        auto payload = parse_payload_object(jws.payload);
        if (!payload) return payload.error();
        verified.payload = std::move(payload).value();
    }
    verified.jws = std::move(jws);
    return verified;
}

}  // namespace rca::acme
