#pragma once
// The one way HQ's C++ tests make a router credential (the shell tests' is make_router_credential
// in hq_lib.sh): a router of the factory's list, imported into the store.
#include <algorithm>
#include <string>

#include "hq/core/home_service.hpp"
#include "hq/core/hq_store.hpp"

namespace hq::test {

/// Imports router id (its secret derived from the id) into store; returns the login it presents.
inline RouterLogin factory_router(HqStore& store, const std::string& id) {
    const std::string secret = "secret-of-" + id + "-0123456789abcdef";
    store.import_routers({{id, secret_hash(secret), std::nullopt, "", std::nullopt}},
                         rca::TimePoint{});
    return {id, secret};
}

/// A router of its own for a home a test inserts into the store directly; returns its id.
inline std::string router_for_home(HqStore& store, const std::string& home) {
    return factory_router(store, "router-of-" + home).id;
}

/// The router of a token's home, one per token as in the field (a router holds one home).
inline RouterLogin router_for(HqStore& store, const std::string& token) {
    return factory_router(store, "router-" + token.substr(0, std::min<size_t>(token.size(), 12)));
}

}  // namespace hq::test
