// libFuzzer target: the body of POST /v1/homes, a router registering its home at HQ (docs/hq.md).
// parse_registration_body, as the daemon's route calls it, then the checks HomeService::
// register_home makes before it touches the store: check_token, then parse_private_address.
//
// Besides ASan and UBSan, it checks (hq_checks.hpp): every refusal is a 400 whose problem document
// can be written and read back; an accepted body comes back unchanged through the JSON the router
// writes (router-ca/daemon/hq_client.cpp); an accepted address has one spelling, is private, and
// the record router.<home> it sets is answered by the vendor zone with that address.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/home_policy.hpp"
#include "exact_input.hpp"
#include "hq/core/home_service.hpp"
#include "hq/core/input_rules.hpp"
#include "hq/core/request_bodies.hpp"
#include "hq_checks.hpp"

int rca::fuzz::test_one_input(const uint8_t* data, size_t size) {
    using namespace rca::fuzz::hq_checks;
    // The daemon answers 413 to a larger body without reading it.
    if (size > hq::kMaxBodyBytes) return 0;
    const auto body = hq::parse_registration_body(as_text(data, size));
    if (!body) {
        require_refusal(body.error());
        return 0;
    }
    const hq::RegistrationBody& b = body.value();
    const auto again = hq::parse_registration_body(
        nlohmann::json{{"token", b.token}, {"address", b.address}}.dump());
    require(again && again.value().token == b.token && again.value().address == b.address,
            "a registration body survives a round trip through JSON");

    if (const auto token = hq::check_token(b.token); !token) require_refusal(token.error());
    const auto address = hq::parse_private_address(b.address);
    if (!address) {
        require_refusal(address.error());
        return 0;
    }
    require(address.value().to_string() == b.address, "an accepted address has one spelling",
            b.address);
    require(rca::is_rfc1918(address.value()), "an accepted address is private", b.address);
    require_record_published(hq::kRouterRecordLabel, address.value());
    return 0;
}
