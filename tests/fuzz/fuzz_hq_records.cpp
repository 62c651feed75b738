// libFuzzer target: PUT /v1/homes/<home>/records/<label>, a router setting one of its home's A
// records at HQ (docs/hq.md). The input is the label as the route's path gives it, a newline, and
// the body: check_label on the label (the check HomeService::set_record makes of it and of the
// home), parse_record_body on the body as the daemon's route calls it, then parse_private_address
// on its address, as set_record does.
//
// Besides ASan and UBSan, it checks (hq_checks.hpp): every refusal is a 400 whose problem document
// can be written and read back (a path label is any octets but '/', here but a newline too); an
// accepted body comes back unchanged through the JSON the router writes
// (router-ca/daemon/hq_client.cpp); an accepted label and address make a record that builds into
// the vendor zone, which answers <label>.<home>.<ZONE> with that address.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "exact_input.hpp"
#include "hq/core/input_rules.hpp"
#include "hq/core/request_bodies.hpp"
#include "hq_checks.hpp"

int rca::fuzz::test_one_input(const uint8_t* data, size_t size) {
    using namespace rca::fuzz::hq_checks;
    const std::string_view text = as_text(data, size);
    const size_t newline = text.find('\n');
    if (newline == std::string_view::npos) return 0;
    const std::string label(text.substr(0, newline));
    const std::string_view body_text = text.substr(newline + 1);
    // The daemon answers 413 to a larger body without reading it.
    if (body_text.size() > hq::kMaxBodyBytes) return 0;

    const auto label_ok = hq::check_label(label, "label");
    if (!label_ok) require_refusal(label_ok.error());
    const auto body = hq::parse_record_body(body_text);
    if (!body) {
        require_refusal(body.error());
        return 0;
    }
    const auto again =
        hq::parse_record_body(nlohmann::json{{"address", body.value().address}}.dump());
    require(again && again.value().address == body.value().address,
            "a record body survives a round trip through JSON");
    const auto address = hq::parse_private_address(body.value().address);
    if (!address) {
        require_refusal(address.error());
        return 0;
    }
    if (label_ok) require_record_published(label, address.value());
    return 0;
}
