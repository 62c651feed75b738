// The pairing gate in front of ACME accounts (issue 15): a press approves one newcomer for one
// name, overlaps with devices, blocked addresses, External Account Binding.
#include "acme_fixture.hpp"

namespace rca::acme {
namespace {

using namespace rca::acme::testing;

TEST_CASE_METHOD(Fixture, "an account made outside a pairing window may not order until approved",
                 "[acme][gate]") {
    Client c = client();
    const auto created = register_account(c);
    REQUIRE(created.status == 201);
    CHECK(created.pairing_account.empty());  // no window: nothing to wait for
    const std::string id = account_id(c);
    CHECK(store.find_account(id)->approval == Approval::waiting);

    const auto refused = order(c, {"nas.home.arpa"});
    CHECK(refused.status == 403);
    CHECK(problem_type(refused) == kUrn + "unauthorized");
    CHECK_THAT(refused.json.value("detail", ""),
               Catch::Contains("press the pairing button on the router, or approve account " + id +
                               " in the admin UI"));

    REQUIRE(acme.approve(id));
    CHECK(store.find_account(id)->approval == Approval::admin);
    CHECK(order(c, {"nas.home.arpa"}).status == 201);
}

// Found by the adversarial review: blocking an address denied its device requests, but its ACME
// account, made just before, still won the next press.
TEST_CASE_METHOD(Fixture, "an account from an address blocked since is no candidate at a press",
                 "[acme][gate]") {
    Client c = client();
    auto made = request(c, urls.new_account(), json{{"termsOfServiceAgreed", true}}.dump(), true);
    made.peer = "192.168.1.20";
    const auto reply = acme.new_account(made, urls);
    REQUIRE(reply.status == 201);
    c.kid = reply.location;
    REQUIRE(enrolment.block("192.168.1.20"));
    enrolment.open_pairing(seconds(120));
    clock.advance(seconds(3));
    enrolment.tick();
    CHECK(store.find_account(account_id(c))->approval == Approval::waiting);
    CHECK(enrolment.pairing().outcome != WindowOutcome::approved);
}

TEST_CASE_METHOD(Fixture, "an account made in the pairing window is approved after the guard",
                 "[acme][gate]") {
    enrolment.open_pairing(seconds(120));
    Client c = client();
    const auto created = register_account(c);
    REQUIRE(created.status == 201);
    const std::string id = account_id(c);
    CHECK(created.pairing_account == id);
    CHECK_FALSE(acme.pairing_decided(id));
    clock.advance(seconds(2));
    enrolment.tick();
    CHECK(acme.pairing_decided(id));
    CHECK(store.find_account(id)->approval == Approval::pairing);
    CHECK(order(c, {"nas.home.arpa"}).status == 201);
}

TEST_CASE_METHOD(Fixture, "an account created just before the button press is approved by it",
                 "[acme][gate]") {
    Client c = client();
    REQUIRE(register_account(c).status == 201);
    clock.advance(seconds(30));
    enrolment.open_pairing(seconds(120));
    clock.advance(seconds(2));
    enrolment.tick();
    CHECK(store.find_account(account_id(c))->approval == Approval::pairing);
}

TEST_CASE_METHOD(Fixture, "a device and an account in one window are an overlap", "[acme][gate]") {
    enrolment.open_pairing(seconds(120));
    const auto device_request = submit_device();
    Client c = client();
    REQUIRE(register_account(c).status == 201);
    clock.advance(seconds(2));
    enrolment.tick();
    CHECK(store.find_account(account_id(c))->approval == Approval::overlap);
    CHECK(store.find_request(device_request.id)->status == RequestStatus::overlap);
    CHECK(order(c, {"nas.home.arpa"}).status == 403);
}

TEST_CASE_METHOD(Fixture, "one press, one name: a second name needs the admin", "[acme][gate]") {
    Client c = paired_client(seconds(2));
    const auto first = order(c, {"nas.home.arpa"});
    REQUIRE(first.status == 201);
    validate(c, first);
    REQUIRE(finalize(c, first, {"nas.home.arpa"}).json["status"] == "valid");
    // The same name again (a renewal) is fine; another name is not, until the admin says so.
    const auto renewal = order(c, {"nas.home.arpa"});
    CHECK(renewal.status == 201);
    const auto second = order(c, {"printer.home.arpa"});
    CHECK(second.status == 403);
    CHECK(second.json.value("detail", "").find("router-ca acme approve") != std::string::npos);
    REQUIRE(acme.approve(account_id(c)));
    CHECK(store.find_account(account_id(c))->approval == Approval::admin);
    CHECK(order(c, {"printer.home.arpa"}).status == 201);
}

TEST_CASE_METHOD(Fixture, "an account approved by a press is taken back when a device asks after",
                 "[acme][gate]") {
    Client c = paired_client();
    const auto placed = order(c, {"nas.home.arpa"});
    validate(c, placed);
    REQUIRE(finalize(c, placed, {"nas.home.arpa"}).json["status"] == "valid");
    const auto nas = store.find_device_by_name("nas");
    REQUIRE(nas);
    const std::string serial = store.certificates_of(nas->id).front().serial_hex;
    // A device asks later in the same window: overlap; the account's certificate is revoked.
    clock.advance(seconds(30));
    submit_device();
    CHECK(store.find_account(account_id(c))->approval == Approval::overlap);
    CHECK(store.is_revoked(serial));
    CHECK_FALSE(store.name_owner("nas"));
    CHECK(order(c, {"nas.home.arpa"}).status == 403);
}

TEST_CASE_METHOD(Fixture, "an order validated before the approval was taken back is not finalized",
                 "[acme][gate]") {
    Client c = paired_client();
    const auto first = order(c, {"nas.home.arpa"});
    const auto parked = order(c, {"nas.home.arpa"});
    validate(c, first);
    validate(c, parked);
    REQUIRE(finalize(c, first, {"nas.home.arpa"}).json["status"] == "valid");
    clock.advance(seconds(30));
    submit_device();
    REQUIRE(store.find_account(account_id(c))->approval == Approval::overlap);
    // The second order was ready before the overlap; finalizing it now must issue nothing.
    const auto late = finalize(c, parked, {"nas.home.arpa"});
    CHECK(late.status == 403);
    const auto nas = store.find_device_by_name("nas");
    REQUIRE(nas);
    for (const auto& cert : store.certificates_of(nas->id))
        CHECK(store.is_revoked(cert.serial_hex));
}

TEST_CASE_METHOD(Fixture, "one press, one name: orders placed together still validate one name",
                 "[acme][gate]") {
    Client c = paired_client(seconds(2));
    // Both orders are placed while the account holds no name yet.
    const auto nas = order(c, {"nas.home.arpa"});
    const auto printer = order(c, {"printer.home.arpa"});
    REQUIRE(nas.status == 201);
    REQUIRE(printer.status == 201);
    validate(c, nas);
    validate(c, printer);
    CHECK(finalize(c, nas, {"nas.home.arpa"}).json["status"] == "valid");
    CHECK(finalize(c, printer, {"printer.home.arpa"}).status == 403);
    CHECK(store.names_of(account_id(c)) == std::vector<std::string>{"nas"});
    CHECK_FALSE(store.find_device_by_name("printer"));
}

TEST_CASE_METHOD(Fixture, "names clients configure themselves by are never issued over ACME",
                 "[acme][issue]") {
    Client c = approved_client();
    for (const char* name : {"wpad.home.arpa", "isatap.home.arpa", "localhost.home.arpa"}) {
        const auto placed = order(c, {name});
        CHECK(placed.status == 400);
        CHECK(problem_type(placed) == kUrn + "rejectedIdentifier");
    }
}

TEST_CASE_METHOD(Fixture, "External Account Binding approves at once, and binds once",
                 "[acme][gate][eab]") {
    const auto credential = acme.create_eab();
    const auto mac_key = jose::base64url_decode(credential.hmac_key).value();
    const auto binding = [&](const Client& c, const jose::Bytes& key) {
        return json::parse(
            jose::sign_jws_hs256({{"kid", credential.kid}, {"url", urls.new_account()}},
                                 jose::jwk_of(*c.key).dump(), key));
    };
    Client c = client();
    const auto created = register_account(
        c, {{"termsOfServiceAgreed", true}, {"externalAccountBinding", binding(c, mac_key)}});
    REQUIRE(created.status == 201);
    CHECK(store.find_account(account_id(c))->approval == Approval::eab);
    CHECK(order(c, {"nas.home.arpa"}).status == 201);

    Client second = client();
    const auto reused =
        register_account(second, {{"externalAccountBinding", binding(second, mac_key)}});
    CHECK(reused.status == 403);
    CHECK_THAT(reused.json.value("detail", ""), Catch::Contains("already made an account"));

    const auto fresh = acme.create_eab();
    jose::Bytes wrong = jose::base64url_decode(fresh.hmac_key).value();
    wrong[0] ^= 1;
    const auto forged = register_account(
        second, {{"externalAccountBinding", json::parse(jose::sign_jws_hs256(
                                                {{"kid", fresh.kid}, {"url", urls.new_account()}},
                                                jose::jwk_of(*second.key).dump(), wrong))}});
    CHECK(forged.status == 403);
    CHECK(acme.accounts().size() == 1);
}

}  // namespace
}  // namespace rca::acme
