#include "hq/core/router_registry.hpp"

namespace hq {

HqResult<RouterCredential> authenticate_router(HqStore& store,
                                               const std::optional<RouterLogin>& login) {
    const HqError refused{HqErrc::router_unauthenticated,
                          "registering a home needs the router's factory credential: "
                          "\"Authorization: Basic base64(ROUTER_ID:SECRET)\" (RFC 7617)"};
    if (!login) return refused;
    auto router = store.router(login->id);
    // An unknown id is compared against a hash no secret has, so it costs what a known one does.
    static const Bytes kNoSuchRouter(32, 0);
    const bool matches =
        secret_matches(login->secret, router ? router->secret_hash : kNoSuchRouter);
    if (!router || !matches) return refused;
    if (router->revoked_at)
        return HqError{HqErrc::router_unauthenticated,
                       "router " + router->id + "'s credential was revoked; it cannot register"};
    return std::move(*router);
}

HqResult<RouterImport> import_router_list(HqStore& store, const std::string& text, TimePoint now) {
    auto routers = parse_router_list(text);
    if (!routers) return routers.error();
    RouterImport result = store.import_routers(routers.value(), now);
    if (!result.conflict.empty())
        return HqError{HqErrc::bad_request,
                       "router " + result.conflict +
                           " is already known with another secret hash; nothing was imported "
                           "(a secret is never replaced: revoke the router and give the new one "
                           "another id)"};
    return result;
}

}  // namespace hq
