#include "daemon/public_certificate_api.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

// Which of HQ's refusals reach the device with HQ's status; the rest become 503, because
// device-enrol reads 401/403 as "pair again" and a refused router credential is no reason to.
TEST_CASE("only the device's own refusals are relayed with HQ's status", "[public_api]") {
    struct Row {
        int status;
        HqRelay relay;
        bool relayed;
    };
    const auto row = GENERATE(values<Row>({
        {400, HqRelay::order, true},  // a CSR HQ refuses
        {413, HqRelay::order, true},  // too large
        {429, HqRelay::order, true},  // the home's limit of pending orders
        {404, HqRelay::poll, true},   // an unknown order id
        {400, HqRelay::poll, true},
        {401, HqRelay::order, false},  // the router's credential refused (HQ lost its database)
        {403, HqRelay::order, false},
        {404, HqRelay::order, false},  // an unknown home
        {401, HqRelay::poll, false},
        {403, HqRelay::poll, false},
        {409, HqRelay::order, false},
        {500, HqRelay::order, false},
        {503, HqRelay::poll, false},
    }));
    INFO(row.status << (row.relay == HqRelay::order ? " on an order" : " on a poll"));
    CHECK(is_device_refusal(row.status, row.relay) == row.relayed);
}

}  // namespace
}  // namespace rca
