// The order state machine's decisions and the retry delays, without a CA.
#include <catch2/catch.hpp>

#include "hq/core/order_flow.hpp"

using namespace hq;
using Kind = Transition::Kind;
using std::chrono::seconds;

TEST_CASE("status names follow RFC 8555 §7.1.6") {
    CHECK(acme_status_from("pending") == AcmeStatus::pending);
    CHECK(acme_status_from("ready") == AcmeStatus::ready);
    CHECK(acme_status_from("processing") == AcmeStatus::processing);
    CHECK(acme_status_from("valid") == AcmeStatus::valid);
    CHECK(acme_status_from("invalid") == AcmeStatus::invalid);
    CHECK(acme_status_from("Valid") == AcmeStatus::unknown);
    CHECK(acme_status_from("") == AcmeStatus::unknown);
}

TEST_CASE("after reading the authorization") {
    const auto [at, status, kind, next] = GENERATE(table<OrderStep, AcmeStatus, Kind, OrderStep>({
        {OrderStep::authorize, AcmeStatus::pending, Kind::advance, OrderStep::respond},
        {OrderStep::authorize, AcmeStatus::valid, Kind::advance, OrderStep::finalize},
        {OrderStep::authorize, AcmeStatus::invalid, Kind::fail, OrderStep::done},
        {OrderStep::poll_authz, AcmeStatus::pending, Kind::wait, OrderStep::done},
        {OrderStep::poll_authz, AcmeStatus::processing, Kind::wait, OrderStep::done},
        {OrderStep::poll_authz, AcmeStatus::valid, Kind::advance, OrderStep::finalize},
        {OrderStep::poll_authz, AcmeStatus::invalid, Kind::fail, OrderStep::done},
        {OrderStep::poll_authz, AcmeStatus::deactivated, Kind::fail, OrderStep::done},
        {OrderStep::poll_authz, AcmeStatus::unknown, Kind::fail, OrderStep::done},
    }));
    CAPTURE(to_string(at), static_cast<int>(status));
    const Transition t = after_authorization(at, status);
    CHECK(t.kind == kind);
    if (kind == Kind::advance) CHECK(t.next == next);
    if (kind == Kind::fail) CHECK_FALSE(t.why.empty());
}

TEST_CASE("after reading the order") {
    const auto [at, status, kind, next] = GENERATE(table<OrderStep, AcmeStatus, Kind, OrderStep>({
        {OrderStep::finalize, AcmeStatus::ready, Kind::advance, OrderStep::poll_order},
        {OrderStep::finalize, AcmeStatus::processing, Kind::advance, OrderStep::poll_order},
        {OrderStep::finalize, AcmeStatus::valid, Kind::advance, OrderStep::poll_order},
        {OrderStep::finalize, AcmeStatus::invalid, Kind::fail, OrderStep::done},
        {OrderStep::finalize, AcmeStatus::pending, Kind::fail, OrderStep::done},
        {OrderStep::poll_order, AcmeStatus::processing, Kind::wait, OrderStep::done},
        {OrderStep::poll_order, AcmeStatus::ready, Kind::wait, OrderStep::done},
        {OrderStep::poll_order, AcmeStatus::valid, Kind::advance, OrderStep::download},
        {OrderStep::poll_order, AcmeStatus::invalid, Kind::fail, OrderStep::done},
    }));
    CAPTURE(to_string(at), static_cast<int>(status));
    const Transition t = after_order(at, status);
    CHECK(t.kind == kind);
    if (kind == Kind::advance) CHECK(t.next == next);
}

TEST_CASE("retries back off exponentially unless the CA says when") {
    CHECK(retry_delay(1, std::nullopt) == seconds{1});
    CHECK(retry_delay(2, std::nullopt) == seconds{2});
    CHECK(retry_delay(5, std::nullopt) == seconds{16});
    CHECK(retry_delay(40, std::nullopt) == kMaxDelay);
    CHECK(retry_delay(1, seconds{30}) == seconds{30});
    CHECK(retry_delay(9, seconds{3}) == seconds{3});  // the CA's word wins over the backoff
    CHECK(retry_delay(1, seconds{86400}) == kMaxDelay);
}

TEST_CASE("steps and statuses round-trip through their stored names") {
    for (auto step : {OrderStep::new_order, OrderStep::authorize, OrderStep::respond,
                      OrderStep::poll_authz, OrderStep::finalize, OrderStep::poll_order,
                      OrderStep::download, OrderStep::revoke, OrderStep::done})
        CHECK(order_step_from(to_string(step)) == step);
    for (auto status : {OrderStatus::pending, OrderStatus::issued, OrderStatus::failed,
                        OrderStatus::revoking, OrderStatus::revoked})
        CHECK(order_status_from(to_string(status)) == status);
    CHECK_FALSE(order_step_from("finalise").has_value());
}

TEST_CASE("a withdrawn order is given up only while the CA cannot have its CSR") {
    for (auto step :
         {OrderStep::new_order, OrderStep::authorize, OrderStep::respond, OrderStep::poll_authz})
        CHECK(before_finalize(step));
    // finalize may have sent the CSR before a restart; after it the certificate may exist.
    for (auto step : {OrderStep::finalize, OrderStep::poll_order, OrderStep::download,
                      OrderStep::revoke, OrderStep::done})
        CHECK_FALSE(before_finalize(step));
}
