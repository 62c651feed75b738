// Writes the JSON seeds of fuzz_jws, fuzz_acme_payload and fuzz_json_bodies with the project's
// own signer (jose::sign_jws) and serialisers (wire::to_json), so the seeds are what router-ca's
// peers really send, plus a few near-misses made by editing them. Not a fuzz target; run by
// make_corpus.sh, which first makes the CSRs and the certificate with openssl:
//
//   make_seed_documents PKI_DIR CORPUS_DIR
//
// PKI_DIR holds device.csr.pem (a device's CSR), acme.csr.der (a CSR for nas.home.arpa and
// nas.local), acme-extra.csr.der (one with more names) and leaf.pem (a certificate); seeds go to
// CORPUS_DIR/<target>/<name>.
#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/rsa.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "../fuzz_keys.hpp"
#include "jose/jws.hpp"
#include "wire/enrolment_wire.hpp"

namespace {

using nlohmann::json;
using rca::jose::Alg;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class SeedWriter {
  public:
    explicit SeedWriter(std::string dir) : dir_(std::move(dir)) {}
    void operator()(const std::string& target, const std::string& name, const std::string& text) {
        const std::string path = dir_ + "/" + target + "/" + name;
        std::ofstream out(path, std::ios::binary);
        out << text;
        if (!out) throw std::runtime_error("cannot write " + path);
    }

  private:
    std::string dir_;
};

const std::string kUrl = "https://router.home.arpa:8443/acme/";
const std::string kNonce = "oFvnlFP1wIhRlYS2jTaXbA";

json header_with_jwk(const Botan::Public_Key& key, const std::string& resource) {
    return {{"jwk", rca::jose::jwk_of(key)}, {"nonce", kNonce}, {"url", kUrl + resource}};
}

json header_with_kid(const std::string& resource) {
    return {{"kid", kUrl + "acct/7Gq2Vw"}, {"nonce", kNonce}, {"url", kUrl + resource}};
}

// The body with one member's text replaced (for near-misses that keep everything else valid).
std::string with_member(const std::string& body, const std::string& name,
                        const std::string& value) {
    json j = json::parse(body);
    j[name] = value;
    return j.dump();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: make_seed_documents PKI_DIR CORPUS_DIR\n";
        return 2;
    }
    const std::string pki = argv[1];
    SeedWriter seed(argv[2]);
    Botan::AutoSeeded_RNG rng;

    const std::string device_csr = read_file(pki + "/device.csr.pem");
    const std::string acme_csr_der = read_file(pki + "/acme.csr.der");
    const std::string acme_extra_csr_der = read_file(pki + "/acme-extra.csr.der");
    const std::string leaf = read_file(pki + "/leaf.pem");

    // --- fuzz_jws ------------------------------------------------------------------------
    const Botan::ECDSA_PrivateKey p256(rng, Botan::EC_Group("secp256r1"));
    const Botan::ECDSA_PrivateKey p384(rng, Botan::EC_Group("secp384r1"));
    const Botan::RSA_PrivateKey rsa(rng, 2048);
    const Botan::Ed25519_PrivateKey ed(rng);
    const Botan::ECDSA_PrivateKey kid_key = rca::fuzz::kid_account_key();

    const json new_account = {{"termsOfServiceAgreed", true},
                              {"contact", {"mailto:admin@home.arpa"}}};
    const json new_order = {{"identifiers",
                             {{{"type", "dns"}, {"value", "nas.home.arpa"}},
                              {{"type", "dns"}, {"value", "nas.local"}}}}};
    const struct {
        const char* name;
        const Botan::Private_Key& key;
        Alg alg;
    } account_keys[] = {{"es256", p256, Alg::es256},
                        {"es384", p384, Alg::es384},
                        {"rs256", rsa, Alg::rs256},
                        {"eddsa", ed, Alg::eddsa}};
    for (const auto& k : account_keys) {
        seed("fuzz_jws", std::string("new_account_") + k.name + ".json",
             rca::jose::sign_jws(header_with_jwk(k.key, "new-account"), new_account.dump(), k.key,
                                 k.alg, rng));
        seed("fuzz_jws", std::string("jwk_") + k.name + ".json", rca::jose::jwk_of(k.key).dump());
    }

    // newAccount with External Account Binding: the inner JWS is HS256 over the account key.
    json eab_account = new_account;
    eab_account["externalAccountBinding"] = json::parse(
        rca::jose::sign_jws_hs256({{"kid", "eab-1"}, {"url", kUrl + "new-account"}},
                                  rca::jose::jwk_of(p256).dump(), rca::fuzz::eab_mac_key()));
    seed("fuzz_jws", "new_account_eab.json",
         rca::jose::sign_jws(header_with_jwk(p256, "new-account"), eab_account.dump(), p256,
                             Alg::es256, rng));
    seed("fuzz_jws", "eab_inner_hs256.json", eab_account["externalAccountBinding"].dump());

    const std::string order_jws = rca::jose::sign_jws(header_with_kid("new-order"),
                                                      new_order.dump(), kid_key, Alg::es256, rng);
    seed("fuzz_jws", "new_order_kid.json", order_jws);
    seed("fuzz_jws", "post_as_get_kid.json",
         rca::jose::sign_jws(header_with_kid("order/Xk2"), "", kid_key, Alg::es256, rng));
    const std::string inner_key_change = rca::jose::sign_jws(
        {{"jwk", rca::jose::jwk_of(p384)}, {"url", kUrl + "key-change"}},
        json{{"account", kUrl + "acct/7Gq2Vw"}, {"oldKey", rca::jose::jwk_of(kid_key)}}.dump(),
        p384, Alg::es384, rng);
    seed("fuzz_jws", "key_change_kid.json",
         rca::jose::sign_jws(header_with_kid("key-change"), inner_key_change, kid_key, Alg::es256,
                             rng));

    // Near-misses: one refusal each.
    seed("fuzz_jws", "miss_alg_none.json",
         with_member(order_jws, "protected",
                     rca::jose::base64url_encode(
                         json{{"alg", "none"}, {"kid", kUrl + "acct/7Gq2Vw"}}.dump())));
    seed("fuzz_jws", "miss_crit.json",
         rca::jose::sign_jws({{"crit", {"b64"}}, {"b64", false}, {"kid", kUrl + "acct/7Gq2Vw"}},
                             "{}", kid_key, Alg::es256, rng));
    seed("fuzz_jws", "miss_jwk_and_kid.json",
         rca::jose::sign_jws({{"jwk", rca::jose::jwk_of(p256)}, {"kid", "x"}}, "{}", p256,
                             Alg::es256, rng));
    {
        json j = json::parse(order_jws);
        std::string signature = j["signature"];
        signature[5] = signature[5] == 'A' ? 'B' : 'A';
        seed("fuzz_jws", "miss_bad_signature.json", with_member(order_jws, "signature", signature));
        seed("fuzz_jws", "miss_padded.json",
             with_member(order_jws, "payload", j["payload"].get<std::string>() + "="));
        std::string dup = order_jws;
        dup.insert(1, "\"payload\":\"\",");
        seed("fuzz_jws", "miss_duplicate_member.json", dup);
        j["header"] = {{"alg", "ES256"}};
        seed("fuzz_jws", "miss_unprotected_header.json", j.dump());
    }
    {
        json jwk = rca::jose::jwk_of(p256);
        jwk["d"] = "AAAA";
        seed("fuzz_jws", "miss_jwk_private.json", jwk.dump());
        json off_curve = rca::jose::jwk_of(p256);
        off_curve["y"] = off_curve["x"];  // (x, x): almost surely no point of P-256
        seed("fuzz_jws", "miss_jwk_off_curve.json", off_curve.dump());
        json rsa_jwk = rca::jose::jwk_of(rsa);
        auto n = *rca::jose::base64url_decode(rsa_jwk["n"].get<std::string>());
        n.insert(n.begin(), 0);
        rsa_jwk["n"] = rca::jose::base64url_encode(n);
        seed("fuzz_jws", "miss_jwk_rsa_leading_zero.json", rsa_jwk.dump());
    }

    // --- fuzz_acme_payload -------------------------------------------------------------------
    const std::string csr_b64 = rca::jose::base64url_encode(acme_csr_der);
    seed("fuzz_acme_payload", "new_account.json", new_account.dump());
    seed("fuzz_acme_payload", "new_account_eab.json", eab_account.dump());
    seed("fuzz_acme_payload", "new_order.json", new_order.dump());
    seed("fuzz_acme_payload", "finalize.json", json{{"csr", csr_b64}}.dump());
    seed("fuzz_acme_payload", "key_change.json",
         json{{"account", kUrl + "acct/7Gq2Vw"}, {"oldKey", rca::jose::jwk_of(kid_key)}}.dump());
    seed("fuzz_acme_payload", "challenge.json", "{}");
    seed("fuzz_acme_payload", "deactivate.json", json{{"status", "deactivated"}}.dump());
    seed("fuzz_acme_payload", "miss_csr_pem_not_b64.json", json{{"csr", device_csr}}.dump());
    seed("fuzz_acme_payload", "miss_finalize_extra_names.json",
         json{{"csr", rca::jose::base64url_encode(acme_extra_csr_der)}}.dump());
    const auto order_of = [](std::initializer_list<std::pair<const char*, const char*>> ids) {
        json list = json::array();
        for (const auto& [type, value] : ids) list.push_back({{"type", type}, {"value", value}});
        return json{{"identifiers", list}}.dump();
    };
    seed("fuzz_acme_payload", "miss_wildcard.json", order_of({{"dns", "*.home.arpa"}}));
    seed("fuzz_acme_payload", "miss_ip.json", order_of({{"ip", "192.168.1.20"}}));
    seed("fuzz_acme_payload", "miss_two_devices.json",
         order_of({{"dns", "nas.home.arpa"}, {"dns", "printer.home.arpa"}}));
    seed("fuzz_acme_payload", "miss_deeper.json", order_of({{"dns", "a.nas.home.arpa"}}));
    seed("fuzz_acme_payload", "miss_outside.json", order_of({{"dns", "nas.example.com"}}));
    seed("fuzz_acme_payload", "miss_upper_case.json",
         order_of({{"dns", "NAS.Home.Arpa"}, {"dns", "nas.LOCAL"}}));
    seed("fuzz_acme_payload", "miss_duplicate_member.json",
         R"({"identifiers":[],"identifiers":[{"type":"dns","value":"nas.home.arpa"}]})");
    seed(
        "fuzz_acme_payload", "miss_not_after.json",
        R"({"identifiers":[{"type":"dns","value":"nas.home.arpa"}],"notAfter":"2030-01-01T00:00:00Z"})");

    // --- fuzz_json_bodies --------------------------------------------------------------------
    using namespace rca::wire;
    seed("fuzz_json_bodies", "enrolment_submit.json",
         to_json(EnrolmentSubmit{device_csr, "nas", "192.168.1.20"}));
    seed("fuzz_json_bodies", "enrolment_submit_bare.json",
         to_json(EnrolmentSubmit{device_csr, "", ""}));
    seed("fuzz_json_bodies", "renewal_submit.json", to_json(RenewalSubmit{device_csr}));
    seed("fuzz_json_bodies", "address_update.json", to_json(AddressUpdate{"192.168.1.20"}));
    seed("fuzz_json_bodies", "address_update_empty.json", to_json(AddressUpdate{}));
    EnrolmentStatus pending;
    pending.id = "b3c1f2a0";
    pending.token = "Zm9vYmFyYmF6cXV4cXV1eA";
    pending.status = "pending";
    pending.detail = "press the router's button to approve";
    seed("fuzz_json_bodies", "status_pending.json", to_json(pending));
    EnrolmentStatus issued;
    issued.id = "b3c1f2a0";
    issued.status = "issued";
    issued.name = "nas";
    issued.fqdn = "nas.home.arpa";
    issued.certificate = leaf;
    issued.chain = leaf;
    seed("fuzz_json_bodies", "status_issued.json", to_json(issued));
    seed("fuzz_json_bodies", "problem.json",
         to_json(Problem{"urn:router-ca:problem:bad-csr", "Bad CSR", 400,
                         "the CSR's RSA key has 1024 bits; at least 2048 are required"}));
    seed("fuzz_json_bodies", "miss_csr_number.json", R"({"csr":1,"name":"nas"})");
    seed("fuzz_json_bodies", "miss_no_csr.json", R"({"name":"nas","ipv4":"192.168.1.20"})");
    seed("fuzz_json_bodies", "miss_array.json", R"([{"csr":""}])");
    seed("fuzz_json_bodies", "miss_truncated.json",
         to_json(RenewalSubmit{device_csr}).substr(0, 100));
    seed("fuzz_json_bodies", "miss_status_float.json",
         R"({"type":"about:blank","status":400.5,"title":"x"})");
    return 0;
}
