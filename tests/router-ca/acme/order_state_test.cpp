#include "acme/order_state.hpp"

#include <catch2/catch.hpp>

#include "support/test_pki.hpp"

namespace rca::acme {
namespace {

using std::chrono::hours;

struct Fixture {
    TimePoint now = test::test_epoch();
    Order order;
    std::vector<Authorization> authzs;
    Fixture() {
        order.expires = now + hours(24);
        authzs.resize(2);
        for (auto& a : authzs) a.expires = now + hours(24);
    }
    OrderStatus status() const { return effective_status(order, authzs, now); }
};

TEST_CASE_METHOD(Fixture, "an order is pending until every authorization is valid",
                 "[acme][state]") {
    CHECK(status() == OrderStatus::pending);
    authzs[0].status = AuthzStatus::valid;
    CHECK(status() == OrderStatus::pending);
    authzs[1].status = AuthzStatus::valid;
    CHECK(status() == OrderStatus::ready);
}

TEST_CASE_METHOD(Fixture, "one failed authorization makes the order invalid", "[acme][state]") {
    for (auto failed : {AuthzStatus::invalid, AuthzStatus::deactivated, AuthzStatus::revoked}) {
        authzs[0].status = AuthzStatus::valid;
        authzs[1].status = failed;
        CHECK(status() == OrderStatus::invalid);
    }
}

TEST_CASE_METHOD(Fixture, "time expires orders and authorizations", "[acme][state]") {
    authzs[0].status = AuthzStatus::valid;
    authzs[1].status = AuthzStatus::valid;
    authzs[1].expires = now + hours(1);
    CHECK(status() == OrderStatus::ready);
    now += hours(2);
    CHECK(effective_status(authzs[1], now) == AuthzStatus::expired);
    CHECK(status() == OrderStatus::invalid);
    authzs[1].expires = now + hours(48);
    now = order.expires;
    CHECK(status() == OrderStatus::invalid);
}

TEST_CASE_METHOD(Fixture, "final and processing states stay whatever the time", "[acme][state]") {
    now += hours(100);
    for (auto fixed : {OrderStatus::valid, OrderStatus::invalid, OrderStatus::processing}) {
        order.status = fixed;
        CHECK(status() == fixed);
    }
    Authorization invalid;
    invalid.status = AuthzStatus::invalid;
    invalid.expires = test::test_epoch();
    CHECK(effective_status(invalid, now) == AuthzStatus::invalid);
}

TEST_CASE_METHOD(Fixture, "an order without authorizations is invalid", "[acme][state]") {
    authzs.clear();
    CHECK(status() == OrderStatus::invalid);
}

}  // namespace
}  // namespace rca::acme
