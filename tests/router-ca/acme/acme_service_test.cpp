#include "acme/acme_service.hpp"

#include <botan/auto_rng.h>
#include <botan/base64.h>
#include <botan/hash.h>
#include <botan/x509self.h>

#include <catch2/catch.hpp>

#include <algorithm>

#include "jose/jws.hpp"
#include "store/sqlite_store.hpp"
#include "support/test_pki.hpp"

namespace rca::acme {
namespace {

using nlohmann::json;
using std::chrono::seconds;

// Answers http-01 probes as a device would, or not, and remembers what it was asked.
struct FakeDevice final : ChallengeValidator {
    bool answers = true;
    std::vector<Http01Probe> probes;
    std::vector<TlsAlpnProbe> handshakes;
    ProbeOutcome check_http01(const Http01Probe& probe) override {
        probes.push_back(probe);
        return outcome();
    }
    ProbeOutcome check_tls_alpn01(const TlsAlpnProbe& probe) override {
        handshakes.push_back(probe);
        return outcome();
    }
    ProbeOutcome outcome() const {
        if (answers) return {};
        return ProbeOutcome{{"incorrectResponse", "the device answered something else"}};
    }
};

// An ACME client: its key and, once registered, its account URL.
struct Client {
    std::unique_ptr<Botan::Private_Key> key;
    jose::Alg alg = jose::Alg::es256;
    std::string kid;
    std::string thumbprint() const {
        return jose::parse_jwk(jose::jwk_of(*key)).value().thumbprint;
    }
};

// A CSR as ACME clients make them: the first name as CN, every name as a DNS SAN; base64url DER.
std::string acme_csr(const Botan::Private_Key& key, const std::vector<std::string>& names,
                     Botan::RandomNumberGenerator& rng) {
    Botan::X509_Cert_Options opts(names.front());
    opts.more_dns = names;
    const std::string hash = key.algo_name() == "Ed25519" ? "Pure" : "SHA-256";
    return jose::base64url_encode(Botan::X509::create_cert_req(opts, key, hash, rng).BER_encode());
}

struct Fixture : test::CaWorld {
    SqliteStore store{":memory:"};
    EnrolmentService enrolment{store, issuer, PairingRules{}, clock, rng};
    FakeDevice device;
    AcmeService acme{store, store, enrolment, issuer, device, clock, rng, settings()};
    static AcmeSettings settings() {
        AcmeSettings s;
        s.http01_port = 8080;
        s.tls_alpn01_port = 8443;
        return s;
    }
    AcmeUrls urls{"https://router.home.arpa:8443"};
    std::optional<Ipv4> source = Ipv4::parse("192.168.1.20");

    Client client(const std::string& type = "p256") {
        Client c;
        c.key = test::make_key(type, rng);
        c.alg = type == "ed25519" ? jose::Alg::eddsa : jose::Alg::es256;
        return c;
    }
    AcmeRequest request(const Client& c, const std::string& url, const std::string& payload,
                        bool with_jwk = false) {
        json header{{"nonce", acme.new_nonce()}, {"url", url}};
        if (with_jwk)
            header["jwk"] = jose::jwk_of(*c.key);
        else
            header["kid"] = c.kid;
        return {jose::sign_jws(header, payload, *c.key, c.alg, rng), "application/jose+json", url,
                source};
    }
    AcmeReply register_account(Client& c, json payload = json{{"termsOfServiceAgreed", true}}) {
        auto reply = acme.new_account(request(c, urls.new_account(), payload.dump(), true), urls);
        if (reply.status == 201 || reply.status == 200) c.kid = reply.location;
        return reply;
    }
    std::string account_id(const Client& c) { return c.kid.substr(urls.account("").size()); }
    Client approved_client() {
        Client c = client();
        REQUIRE(register_account(c).status == 201);
        REQUIRE(acme.approve(account_id(c)));
        return c;
    }
    AcmeReply order(const Client& c, const std::vector<std::string>& names) {
        json ids = json::array();
        for (const auto& n : names) ids.push_back({{"type", "dns"}, {"value", n}});
        return acme.new_order(request(c, urls.new_order(), json{{"identifiers", ids}}.dump()),
                              urls);
    }
    std::string id_of(const std::string& url) { return url.substr(url.rfind('/') + 1); }
    // Posts the order's http-01 challenges; returns the last challenge answer.
    AcmeReply validate(const Client& c, const AcmeReply& order_reply) {
        AcmeReply last;
        for (const auto& authz_url : order_reply.json["authorizations"]) {
            const std::string authz = id_of(authz_url.get<std::string>());
            last = acme.challenge(request(c, urls.challenge(authz, "http-01"), "{}"), urls, authz,
                                  "http-01");
        }
        return last;
    }
    AcmeReply finalize(const Client& c, const AcmeReply& order_reply,
                       const std::vector<std::string>& csr_names) {
        const auto key = test::make_key("p256", rng);
        const std::string order_id = id_of(order_reply.location);
        const json payload{{"csr", acme_csr(*key, csr_names, rng)}};
        return acme.finalize(request(c, urls.finalize(order_id), payload.dump()), urls, order_id);
    }
    std::string problem_type(const AcmeReply& r) { return r.json.value("type", ""); }
};

const std::string kUrn = "urn:ietf:params:acme:error:";

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
    const auto key = test::make_key("p256", rng);
    const auto device_request = enrolment.submit(
        {test::make_csr(*key, rng), "cam", "", Ipv4::parse("192.168.1.9"), "192.168.1.9"});
    REQUIRE(device_request);
    Client c = client();
    REQUIRE(register_account(c).status == 201);
    clock.advance(seconds(2));
    enrolment.tick();
    CHECK(store.find_account(account_id(c))->approval == Approval::overlap);
    CHECK(store.find_request(device_request.value().id)->status == RequestStatus::overlap);
    CHECK(order(c, {"nas.home.arpa"}).status == 403);
}

TEST_CASE_METHOD(Fixture, "one press, one name: a second name needs the admin", "[acme][gate]") {
    enrolment.open_pairing(seconds(2));
    Client c = client();
    REQUIRE(register_account(c).status == 201);
    clock.advance(seconds(2));
    enrolment.tick();
    REQUIRE(store.find_account(account_id(c))->approval == Approval::pairing);
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
    enrolment.open_pairing(seconds(120));
    Client c = client();
    REQUIRE(register_account(c).status == 201);
    clock.advance(seconds(2));
    enrolment.tick();
    REQUIRE(store.find_account(account_id(c))->approval == Approval::pairing);
    const auto placed = order(c, {"nas.home.arpa"});
    validate(c, placed);
    REQUIRE(finalize(c, placed, {"nas.home.arpa"}).json["status"] == "valid");
    const auto nas = store.find_device_by_name("nas");
    REQUIRE(nas);
    const std::string serial = store.certificates_of(nas->id).front().serial_hex;
    // A device asks later in the same window: overlap; the account's certificate is revoked.
    clock.advance(seconds(30));
    const auto key = test::make_key("p256", rng);
    REQUIRE(enrolment.submit(
        {test::make_csr(*key, rng), "cam", "", Ipv4::parse("192.168.1.9"), "192.168.1.9"}));
    CHECK(store.find_account(account_id(c))->approval == Approval::overlap);
    CHECK(store.is_revoked(serial));
    CHECK_FALSE(store.name_owner("nas"));
    CHECK(order(c, {"nas.home.arpa"}).status == 403);
}

TEST_CASE_METHOD(Fixture, "an order validated before the approval was taken back is not finalized",
                 "[acme][gate]") {
    enrolment.open_pairing(seconds(120));
    Client c = client();
    REQUIRE(register_account(c).status == 201);
    clock.advance(seconds(2));
    enrolment.tick();
    const auto first = order(c, {"nas.home.arpa"});
    const auto parked = order(c, {"nas.home.arpa"});
    validate(c, first);
    validate(c, parked);
    REQUIRE(finalize(c, first, {"nas.home.arpa"}).json["status"] == "valid");
    clock.advance(seconds(30));
    const auto key = test::make_key("p256", rng);
    REQUIRE(enrolment.submit(
        {test::make_csr(*key, rng), "cam", "", Ipv4::parse("192.168.1.9"), "192.168.1.9"}));
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
    enrolment.open_pairing(seconds(2));
    Client c = client();
    REQUIRE(register_account(c).status == 201);
    clock.advance(seconds(2));
    enrolment.tick();
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
    const auto key = test::make_key("p256", rng);
    REQUIRE(enrolment.submit(
        {test::make_csr(*key, rng), "cam", "", Ipv4::parse("192.168.1.9"), "192.168.1.9"}));
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
