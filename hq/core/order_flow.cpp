#include "hq/core/order_flow.hpp"

#include <algorithm>

#include "common/enum_names.hpp"

namespace hq {
namespace {

const char* const kStatusNames[] = {"pending", "ready",       "processing",
                                    "valid",   "invalid",     "deactivated",
                                    "expired", "revoked"};

Transition advance(OrderStep next) { return {Transition::Kind::advance, next, {}}; }
Transition wait() { return {Transition::Kind::wait, OrderStep::done, {}}; }
Transition fail(std::string why) { return {Transition::Kind::fail, OrderStep::done, std::move(why)}; }

}  // namespace

AcmeStatus acme_status_from(const std::string& text) {
    return rca::enum_from_name<AcmeStatus>(kStatusNames, text).value_or(AcmeStatus::unknown);
}

Transition after_authorization(OrderStep at, AcmeStatus status) {
    switch (status) {
        case AcmeStatus::valid:
            return advance(OrderStep::finalize);
        case AcmeStatus::pending:
            if (at == OrderStep::authorize) return advance(OrderStep::respond);
            return wait();  // the CA has not started validating yet
        case AcmeStatus::processing:
            return wait();
        default:
            return fail("the public CA's authorization is not valid");
    }
}

Transition after_order(OrderStep at, AcmeStatus status) {
    switch (status) {
        case AcmeStatus::ready:
            if (at == OrderStep::finalize) return advance(OrderStep::poll_order);
            return wait();
        case AcmeStatus::processing:
            if (at == OrderStep::finalize) return advance(OrderStep::poll_order);
            return wait();
        case AcmeStatus::valid:
            return advance(at == OrderStep::finalize ? OrderStep::poll_order : OrderStep::download);
        default:
            return fail("the public CA's order is not valid");
    }
}

bool before_finalize(OrderStep step) {
    switch (step) {
        case OrderStep::new_order:
        case OrderStep::authorize:
        case OrderStep::respond:
        case OrderStep::poll_authz:
            return true;
        default:
            return false;  // finalize may have sent the CSR before a restart
    }
}

std::chrono::seconds retry_delay(int attempts, std::optional<std::chrono::seconds> retry_after) {
    if (retry_after) return std::clamp(*retry_after, std::chrono::seconds{0}, kMaxDelay);
    const int exponent = std::clamp(attempts - 1, 0, 12);  // 2^12 s is already above kMaxDelay
    return std::min(std::chrono::seconds{int64_t{1} << exponent}, kMaxDelay);
}

}  // namespace hq
