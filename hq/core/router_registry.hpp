#pragma once
// Who may register a home (docs/hq.md, "Router credentials"): checking a router's login against
// the store, and importing the factory's list. Pure logic over HqStore (house style #4).
#include <optional>
#include <string>

#include "hq/core/hq_error.hpp"
#include "hq/core/hq_store.hpp"
#include "hq/core/router_credential.hpp"

namespace hq {

/// The router that login proves, if it is known, its secret matches and it is not revoked;
/// router_unauthenticated otherwise. An unknown id, a wrong secret and a missing login get the
/// same answer after the same work (a hash and a constant-time compare), so the answer does not
/// tell which router ids exist; only the holder of the right secret learns that it was revoked.
HqResult<RouterCredential> authenticate_router(HqStore& store,
                                               const std::optional<RouterLogin>& login);

/// Parses text (parse_router_list) and imports it (HqStore::import_routers), all or nothing;
/// bad_request names the bad line or the conflicting router.
HqResult<RouterImport> import_router_list(HqStore& store, const std::string& text, TimePoint now);

}  // namespace hq
