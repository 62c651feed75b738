// libFuzzer target: the payload of an ACME request once its JWS has verified, i.e. what a client
// with a valid account key can send. parse_payload_object (strict JSON), then what the newOrder,
// finalize and keyChange handlers do with it: the "identifiers" through accept_identifiers, the
// "csr" through accept_csr and check_csr_names, the "oldKey" through parse_jwk.
//
// The identifiers are taken from the payload the way AcmeService::new_order takes them
// (acme/acme_orders.cpp); the CSR's names are checked against the accepted order's names, or
// against a fixed order for nas when the identifiers were refused, so both paths are reached.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "acme/csr_names.hpp"
#include "acme/identifier_policy.hpp"
#include "acme/request_verifier.hpp"
#include "core/csr_policy.hpp"
#include "exact_input.hpp"
#include "jose/base64url.hpp"
#include "jose/jwk.hpp"

namespace {

using nlohmann::json;

const rca::HomePolicy& policy() {
    static const rca::HomePolicy policy = [] {
        rca::HomePolicy p;  // home.arpa with .local names, as shipped
        p.lan_subnets = rca::default_lan_subnets();
        return p;
    }();
    return policy;
}

// The identifiers of a newOrder payload, or nothing when their shape is wrong (new_order answers
// malformed then).
bool identifiers_of(const json& payload, std::vector<rca::acme::Identifier>& out) {
    const auto list = payload.find("identifiers");
    if (list == payload.end() || !list->is_array()) return false;
    for (const auto& item : *list) {
        if (!item.is_object() || !item.contains("type") || !item["type"].is_string() ||
            !item.contains("value") || !item["value"].is_string())
            return false;
        out.push_back({item["type"].get<std::string>(), item["value"].get<std::string>()});
    }
    return true;
}

}  // namespace

int rca::fuzz::test_one_input(const uint8_t* data, size_t size) {
    const rca::jose::Bytes bytes(data, data + size);
    const auto parsed = rca::acme::parse_payload_object(bytes);
    if (!parsed) return 0;
    const json& payload = parsed.value();

    std::vector<std::string> order_names = {"nas.home.arpa", "nas.local"};
    std::vector<rca::acme::Identifier> identifiers;
    if (identifiers_of(payload, identifiers)) {
        const auto names = rca::acme::accept_identifiers(policy(), identifiers);
        if (names) order_names = names.value().identifiers;
    }

    if (const auto csr = payload.find("csr"); csr != payload.end() && csr->is_string()) {
        if (const auto der = rca::jose::base64url_decode(csr->get<std::string>())) {
            (void)rca::accept_csr(std::string(der->begin(), der->end()));
            (void)rca::acme::check_csr_names(*der, order_names);
        }
    }

    if (const auto old_key = payload.find("oldKey"); old_key != payload.end())
        (void)rca::jose::parse_jwk(*old_key);
    return 0;
}
