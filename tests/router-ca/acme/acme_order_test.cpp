// Orders, validation and finalize: what an approved ACME client gets, and what it may not.
#include "acme_fixture.hpp"

namespace rca::acme {
namespace {

using namespace rca::acme::testing;

TEST_CASE_METHOD(Fixture, "an approved client validates and finalizes in one breath",
                 "[acme][issue]") {
    Client c = approved_client();
    const auto placed = order(c, {"nas.home.arpa", "nas.local"});
    REQUIRE(placed.status == 201);
    CHECK(placed.json["status"] == "pending");
    CHECK(placed.json["authorizations"].size() == 2);

    const auto challenge = validate(c, placed);
    CHECK(challenge.json["status"] == "valid");  // synchronous: no polling
    REQUIRE(challenge.links.size() == 1);
    CHECK(challenge.links[0].second == "up");
    REQUIRE(device.probes.size() == 2);
    CHECK(device.probes[0].address == *source);  // not in the zone yet: the client's address
    CHECK(device.probes[0].port == 8080);
    CHECK(device.probes[0].expected ==
          device.probes[0].token + "." + c.thumbprint());  // RFC 8555 section 8.1
    CHECK(
        acme.order(request(c, placed.location, ""), urls, id_of(placed.location)).json["status"] ==
        "ready");

    const auto done = finalize(c, placed, {"nas.home.arpa", "nas.local"});
    REQUIRE(done.status == 200);
    CHECK(done.json["status"] == "valid");
    const std::string cert_url = done.json["certificate"];
    const auto chain = acme.certificate(request(c, cert_url, ""), urls, id_of(cert_url));
    CHECK(chain.content_type == "application/pem-certificate-chain");
    CHECK(chain.raw.find("BEGIN CERTIFICATE") != chain.raw.rfind("BEGIN CERTIFICATE"));

    // The same store, profile and zone as native devices.
    const auto nas = store.find_device_by_name("nas");
    REQUIRE(nas);
    CHECK(nas->source == DeviceSource::acme);
    CHECK(nas->ipv4 == source);
    CHECK(store.name_owner("nas") == account_id(c));
    const Botan::X509_Certificate leaf(store.certificates_of(nas->id).front().der);
    CHECK(leaf.subject_info("DNS") == std::vector<std::string>{"nas.home.arpa", "nas.local"});
    CHECK_FALSE(leaf.is_CA_cert());

    // Renewal: the owner orders again and the device gets a second certificate.
    const auto again = order(c, {"nas.home.arpa"});
    validate(c, again);
    REQUIRE(finalize(c, again, {"nas.home.arpa"}).json["status"] == "valid");
    CHECK(store.certificates_of(nas->id).size() == 2);
}

// Issue 15, part 2: the native devices' rules hold for ACME names too.
TEST_CASE_METHOD(Fixture, "finalize names neither the router's address nor another device's",
                 "[acme][issue]") {
    enrolment.set_router_addresses({*Ipv4::parse("192.168.1.1")});
    const TimePoint now = clock.now();
    store.commit_enrolment(
        {"camera", Ipv4::parse("192.168.1.30"), "p256", DeviceSource::native, now},
        {"0abc", 0, Bytes{0x30, 0x03, 0x02, 0x01, 0x01}, now, now, now, IssueKind::enrolment}, "",
        {now, "cert.issued", "camera", "seeded"});
    const char* taken = GENERATE("192.168.1.1", "192.168.1.30");
    CAPTURE(taken);
    source = Ipv4::parse(taken);
    Client c = approved_client();
    const auto placed = order(c, {"nas.home.arpa"});
    REQUIRE(validate(c, placed).json["status"] == "valid");
    CHECK(device.probes.at(0).address == *source);  // validated where the client is
    REQUIRE(finalize(c, placed, {"nas.home.arpa"}).json["status"] == "valid");
    const auto nas = store.find_device_by_name("nas");
    REQUIRE(nas);
    CHECK_FALSE(nas->ipv4);
    const Botan::X509_Certificate leaf(store.certificates_of(nas->id).front().der);
    CHECK(leaf.subject_alt_name().get_attribute("IP").empty());
    CHECK(leaf.subject_info("DNS") == std::vector<std::string>{"nas.home.arpa", "nas.local"});
    const auto events = store.audit_log(20);
    CHECK(std::any_of(events.begin(), events.end(), [&](const AuditEvent& e) {
        return e.event == "address.withheld" && e.subject == "nas" &&
               e.detail.find(taken) != std::string::npos;
    }));
}

TEST_CASE_METHOD(Fixture, "tls-alpn-01 is validated with the digest of the key authorization",
                 "[acme][issue]") {
    Client c = approved_client();
    const auto placed = order(c, {"nas.home.arpa"});
    const std::string authz = id_of(placed.json["authorizations"][0].get<std::string>());
    const auto offered = acme.authorization(request(c, urls.authz(authz), ""), urls, authz);
    REQUIRE(offered.json["challenges"].size() == 2);
    CHECK(offered.json["challenges"][1]["type"] == "tls-alpn-01");
    const std::string token = offered.json["challenges"][1]["token"];
    const auto answer = acme.challenge(request(c, urls.challenge(authz, "tls-alpn-01"), "{}"), urls,
                                       authz, "tls-alpn-01");
    CHECK(answer.json["status"] == "valid");
    CHECK(device.probes.empty());
    REQUIRE(device.handshakes.size() == 1);
    CHECK(device.handshakes[0].port == 8443);
    CHECK(device.handshakes[0].host == "nas.home.arpa");
    const auto digest =
        Botan::HashFunction::create_or_throw("SHA-256")->process(token + "." + c.thumbprint());
    CHECK(device.handshakes[0].expected_digest ==
          std::vector<uint8_t>(digest.begin(), digest.end()));
    // The other challenge of a validated authorization stays pending (RFC 8555 section 7.1.6).
    const auto after = acme.authorization(request(c, urls.authz(authz), ""), urls, authz);
    CHECK(after.json["challenges"][0]["status"] == "pending");
    CHECK(after.json["challenges"][1]["status"] == "valid");
    CHECK(acme.challenge(request(c, urls.challenge(authz, "dns-01"), "{}"), urls, authz, "dns-01")
              .status == 404);
}

TEST_CASE_METHOD(Fixture, "a failed validation makes the authorization and order invalid",
                 "[acme][issue]") {
    Client c = approved_client();
    const auto placed = order(c, {"nas.home.arpa"});
    device.answers = false;
    const auto challenge = validate(c, placed);
    CHECK(challenge.json["status"] == "invalid");
    CHECK(challenge.json["error"]["type"] == kUrn + "incorrectResponse");
    const auto read = acme.order(request(c, placed.location, ""), urls, id_of(placed.location));
    CHECK(read.json["status"] == "invalid");
    CHECK_FALSE(store.name_owner("nas"));
    CHECK(finalize(c, placed, {"nas.home.arpa"}).status == 403);  // orderNotReady
}

TEST_CASE_METHOD(Fixture,
                 "a CSR for other names than the order's is refused and the order stays ready",
                 "[acme][issue]") {
    Client c = approved_client();
    const auto placed = order(c, {"nas.home.arpa"});
    validate(c, placed);
    for (const auto& names : std::vector<std::vector<std::string>>{
             {"printer.home.arpa"}, {"nas.home.arpa", "printer.home.arpa"}, {"www.bank.example"}}) {
        const auto refused = finalize(c, placed, names);
        CHECK(refused.status == 400);
        CHECK(problem_type(refused) == kUrn + "badCSR");
    }
    CHECK(
        acme.order(request(c, placed.location, ""), urls, id_of(placed.location)).json["status"] ==
        "ready");
    CHECK_FALSE(store.find_device_by_name("nas"));

    // The account key may not be the certificate key (RFC 8555 section 11.1).
    const json payload{{"csr", acme_csr(*c.key, {"nas.home.arpa"}, rng)}};
    const auto same_key =
        acme.finalize(request(c, urls.finalize(id_of(placed.location)), payload.dump()), urls,
                      id_of(placed.location));
    CHECK(problem_type(same_key) == kUrn + "badCSR");
}

TEST_CASE_METHOD(Fixture,
                 "the first account to validate a name owns it until the admin releases it",
                 "[acme][names]") {
    Client first = approved_client();
    const auto placed = order(first, {"nas.home.arpa"});
    validate(first, placed);
    REQUIRE(finalize(first, placed, {"nas.home.arpa"}).json["status"] == "valid");

    Client second = approved_client();
    const auto taken = order(second, {"nas.home.arpa"});
    CHECK(taken.status == 403);
    CHECK(problem_type(taken) == kUrn + "unauthorized");
    CHECK_THAT(taken.json.value("detail", ""), Catch::Contains("router-ca acme release nas"));

    CHECK_FALSE(acme.release("printer.home.arpa"));  // nobody owns it
    const auto released = acme.release("NAS.home.arpa");
    REQUIRE(released);
    CHECK(released.value().size() == 1);
    const auto retaken = order(second, {"nas.home.arpa"});
    REQUIRE(retaken.status == 201);
    validate(second, retaken);
    REQUIRE(finalize(second, retaken, {"nas.home.arpa"}).json["status"] == "valid");
    CHECK(store.name_owner("nas") == account_id(second));
    CHECK_FALSE(store.find_device_by_name("nas")->revoked_at);
}

TEST_CASE_METHOD(Fixture, "names of native devices and the router are not for ACME",
                 "[acme][names]") {
    Client c = approved_client();
    enrolment.issue_router_certificate(test::make_key("p256", rng)->subject_public_key(), {});
    CHECK(problem_type(order(c, {"router.home.arpa"})) == kUrn + "unauthorized");
    enrolment.open_pairing(seconds(120));
    submit_device();
    clock.advance(seconds(2));
    enrolment.tick();
    REQUIRE(store.find_device_by_name("cam"));
    CHECK(problem_type(order(c, {"cam.home.arpa"})) == kUrn + "unauthorized");
    // And an ACME-owned name is skipped when the router names a native device.
    const auto placed = order(c, {"printer.home.arpa"});
    validate(c, placed);
    CHECK(store.name_taken("printer"));
}

// Found by the adversarial review: an approved account made 3,000 orders, each rows in the store.
TEST_CASE_METHOD(Fixture, "an account holds at most 16 unfinished orders", "[acme][issue]") {
    Client c = approved_client();
    for (int i = 0; i < 16; ++i) REQUIRE(order(c, {"nas.home.arpa"}).status == 201);
    const auto refused = order(c, {"nas.home.arpa"});
    CHECK(refused.status == 429);
    CHECK(problem_type(refused) == kUrn + "rateLimited");
    CHECK(refused.json.value("status", 0) == 429);
    clock.advance(std::chrono::hours(25));  // they expire, and purge_orders may take them
    CHECK(order(c, {"nas.home.arpa"}).status == 201);
}

TEST_CASE_METHOD(Fixture, "orders may not set lifetimes", "[acme][issue]") {
    Client c = approved_client();
    const json payload{{"identifiers", {{{"type", "dns"}, {"value", "nas.home.arpa"}}}},
                       {"notAfter", "2030-01-01T00:00:00Z"}};
    const auto refused = acme.new_order(request(c, urls.new_order(), payload.dump()), urls);
    CHECK(refused.status == 400);
    CHECK(problem_type(refused) == kUrn + "malformed");
    CHECK(problem_type(order(c, {"*.home.arpa"})) == kUrn + "rejectedIdentifier");
}

}  // namespace
}  // namespace rca::acme
