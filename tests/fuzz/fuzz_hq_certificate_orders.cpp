// libFuzzer target: the body of POST /v1/homes/<home>/certificates, a router relaying a device's
// CSR to HQ for a public certificate (docs/hq.md). parse_certificate_order_body, as the daemon's
// route calls it, then what HomeService::request_certificate checks before it stores an order:
// csr_der_from_pem, then check_home_csr for the home nifty-babbage.vendor.example.
//
// Besides ASan and UBSan, it checks (hq_checks.hpp): every refusal is a 400 whose problem document
// can be written and read back (a CSR's names are any octets Botan decodes); an accepted body
// comes back unchanged through the JSON the router writes; the one name of an accepted CSR is
// <label>.<home>.<ZONE> with a label HQ accepts, and the DNS-01 record its order will publish,
// _acme-challenge.<name> TXT (RFC 8555 §8.4), builds into the vendor zone and is answered.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "exact_input.hpp"
#include "hq/core/home_csr.hpp"
#include "hq/core/input_rules.hpp"
#include "hq/core/key_authorization.hpp"
#include "hq/core/request_bodies.hpp"
#include "hq_checks.hpp"

int rca::fuzz::test_one_input(const uint8_t* data, size_t size) {
    using namespace rca::fuzz::hq_checks;
    // The daemon answers 413 to a larger body without reading it.
    if (size > hq::kMaxBodyBytes) return 0;
    const auto body = hq::parse_certificate_order_body(as_text(data, size));
    if (!body) {
        require_refusal(body.error());
        return 0;
    }
    const auto again =
        hq::parse_certificate_order_body(nlohmann::json{{"csr", body.value().csr}}.dump());
    require(again && again.value().csr == body.value().csr,
            "a certificate order body survives a round trip through JSON");
    const auto der = hq::csr_der_from_pem(body.value().csr);
    if (!der) {
        require_refusal(der.error());
        return 0;
    }
    const std::string home_zone = kHome + "." + kZone;
    const auto name = hq::check_home_csr(der.value(), home_zone);
    if (!name) {
        require_refusal(name.error());
        return 0;
    }
    const std::string& n = name.value();
    const std::string suffix = "." + home_zone;
    require(
        n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0,
        "an accepted CSR names a name in its home's zone", n);
    require(hq::check_label(n.substr(0, n.size() - suffix.size()), "label").ok(),
            "an accepted CSR's name is one label HQ accepts above its home", n);
    const std::string owner = hq::dns01_owner(n);
    const auto answer = published({}, {{"order", owner, "txt-value"}}, owner, rca::RrType::txt);
    require(answer.size() == 1, "the vendor zone answers the order's DNS-01 record", owner);
    return 0;
}
