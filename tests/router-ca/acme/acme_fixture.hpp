#pragma once
// The ACME server over a real store in memory, a fake clock and a fake device that answers
// challenges: what the AcmeService tests (acme_*_test.cpp) share.
#include <botan/auto_rng.h>
#include <botan/base64.h>
#include <botan/hash.h>
#include <botan/x509self.h>

#include <catch2/catch.hpp>

#include <algorithm>

#include "acme/acme_service.hpp"
#include "jose/jws.hpp"
#include "store/sqlite_store.hpp"
#include "support/test_pki.hpp"

namespace rca::acme::testing {

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
inline std::string acme_csr(const Botan::Private_Key& key, const std::vector<std::string>& names,
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
    // The press/register setup the pairing gate tests share: the button opens a window of
    // `window`, a new client registers in it, and the guard passes: the press approved it.
    Client paired_client(seconds window = seconds(120)) {
        enrolment.open_pairing(window);
        Client c = client();
        REQUIRE(register_account(c).status == 201);
        clock.advance(seconds(2));
        enrolment.tick();
        REQUIRE(store.find_account(account_id(c))->approval == Approval::pairing);
        return c;
    }
    // A native device asks to pair (from 192.168.1.9, hint `hint`).
    wire::EnrolmentStatus submit_device(const std::string& hint = "cam") {
        const auto key = test::make_key("p256", rng);
        auto submitted = enrolment.submit(
            {test::make_csr(*key, rng), hint, "", Ipv4::parse("192.168.1.9"), "192.168.1.9"});
        REQUIRE(submitted);
        return submitted.value();
    }
};

inline const std::string kUrn = "urn:ietf:params:acme:error:";

}  // namespace rca::acme::testing
