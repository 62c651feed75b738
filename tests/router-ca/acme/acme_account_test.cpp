// Requests (nonces, signed URLs), revocation, key change and deactivation of ACME accounts.
#include "acme_fixture.hpp"

namespace rca::acme {
namespace {

using namespace rca::acme::testing;

TEST_CASE_METHOD(Fixture, "nonces are single use and the url is signed", "[acme][jws]") {
    Client c = approved_client();
    const auto r =
        request(c, urls.new_order(),
                json{{"identifiers", {{{"type", "dns"}, {"value", "nas.home.arpa"}}}}}.dump());
    CHECK(acme.new_order(r, urls).status == 201);
    const auto replayed = acme.new_order(r, urls);
    CHECK(problem_type(replayed) == kUrn + "badNonce");

    auto moved = request(c, urls.new_order(), "{}");
    moved.url = urls.revoke_cert();
    CHECK(problem_type(acme.revoke(moved, urls)) == kUrn + "unauthorized");

    auto wrong_type = request(c, urls.new_order(), "{}");
    wrong_type.content_type = "application/json";
    const auto unsupported = acme.new_order(wrong_type, urls);
    CHECK(problem_type(unsupported) == kUrn + "malformed");
    CHECK(unsupported.status == 415);  // RFC 8555 section 6.2

    Client stranger = client();
    stranger.kid = urls.account("00000000000000000000000000000000");
    CHECK(problem_type(acme.new_order(request(stranger, urls.new_order(), "{}"), urls)) ==
          kUrn + "accountDoesNotExist");
    CHECK(problem_type(acme.new_order(request(c, urls.new_order(), "{}", true), urls)) ==
          kUrn + "malformed");  // jwk where kid is required
}

TEST_CASE_METHOD(Fixture, "a certificate is revoked by its account or its own key, once",
                 "[acme][revoke]") {
    Client c = approved_client();
    const auto placed = order(c, {"nas.home.arpa"});
    validate(c, placed);
    const auto done = finalize(c, placed, {"nas.home.arpa"});
    const auto nas = store.find_device_by_name("nas");
    const auto cert = store.certificates_of(nas->id).front();
    const json payload{{"certificate", jose::base64url_encode(cert.der)}, {"reason", 4}};

    Client stranger = approved_client();
    CHECK(problem_type(acme.revoke(request(stranger, urls.revoke_cert(), payload.dump()), urls)) ==
          kUrn + "unauthorized");
    const json bad_reason{{"certificate", jose::base64url_encode(cert.der)}, {"reason", 2}};
    CHECK(problem_type(acme.revoke(request(c, urls.revoke_cert(), bad_reason.dump()), urls)) ==
          kUrn + "badRevocationReason");
    CHECK(acme.revoke(request(c, urls.revoke_cert(), payload.dump()), urls).status == 200);
    CHECK(store.is_revoked(cert.serial_hex));
    CHECK(store.revocation_of(cert.serial_hex)->reason == RevocationReason::superseded);
    CHECK_FALSE(store.find_device_by_name("nas")->revoked_at);  // one certificate, not the device
    CHECK(problem_type(acme.revoke(request(c, urls.revoke_cert(), payload.dump()), urls)) ==
          kUrn + "alreadyRevoked");
    const Botan::X509_CRL crl(enrolment.crl_der());
    CHECK(crl.is_revoked(Botan::X509_Certificate(cert.der)));
    REQUIRE(crl.get_revoked().size() == 1);
    CHECK(crl.get_revoked()[0].reason_code() == Botan::CRL_Code::SUPERSEDED);
}

TEST_CASE_METHOD(Fixture, "key change moves the account to the new key", "[acme][account]") {
    Client c = approved_client();
    Client next = client("ed25519");
    const json inner_payload{{"account", c.kid}, {"oldKey", jose::jwk_of(*c.key)}};
    const std::string inner =
        jose::sign_jws({{"jwk", jose::jwk_of(*next.key)}, {"url", urls.key_change()}},
                       inner_payload.dump(), *next.key, next.alg, rng);
    const auto changed = acme.key_change(request(c, urls.key_change(), inner), urls);
    REQUIRE(changed.status == 200);
    next.kid = c.kid;
    CHECK(order(next, {"nas.home.arpa"}).status == 201);
    // The old key no longer signs for the account: its ES256 does not fit the new Ed25519 key.
    CHECK(problem_type(order(c, {"tv.home.arpa"})) == kUrn + "badSignatureAlgorithm");
}

TEST_CASE_METHOD(Fixture, "a key change to a key that has an account is a conflict",
                 "[acme][account]") {
    Client c = approved_client();
    Client other = approved_client();
    const json inner_payload{{"account", c.kid}, {"oldKey", jose::jwk_of(*c.key)}};
    const std::string inner =
        jose::sign_jws({{"jwk", jose::jwk_of(*other.key)}, {"url", urls.key_change()}},
                       inner_payload.dump(), *other.key, other.alg, rng);
    const auto refused = acme.key_change(request(c, urls.key_change(), inner), urls);
    // RFC 8555 section 7.3.5: 409 with the URL of the account that has the key.
    CHECK(refused.status == 409);
    CHECK(refused.json["status"] == 409);
    CHECK(problem_type(refused) == kUrn + "malformed");
    CHECK(refused.location == other.kid);
    CHECK(store.find_account(account_id(c))->thumbprint == c.thumbprint());
}

TEST_CASE_METHOD(Fixture, "a deactivated account can do nothing more", "[acme][account]") {
    Client c = approved_client();
    const auto off = acme.account(request(c, c.kid, json{{"status", "deactivated"}}.dump()), urls,
                                  account_id(c));
    CHECK(off.json["status"] == "deactivated");
    // RFC 8555 section 7.3.6: 401 unauthorized for whatever its key signs.
    for (const auto& refused : {order(c, {"nas.home.arpa"}), register_account(c),
                                acme.account(request(c, c.kid, ""), urls, account_id(c))}) {
        CHECK(refused.status == 401);
        CHECK(refused.json["status"] == 401);
        CHECK(problem_type(refused) == kUrn + "unauthorized");
    }
}

}  // namespace
}  // namespace rca::acme
