#pragma once
// The JSON objects of RFC 8555 section 7.1: the directory, accounts, orders, authorizations and
// challenges, as clients read them. Statuses come in already resolved against the clock
// (order_state.hpp), so these are pure functions of their arguments.
#include <nlohmann/json.hpp>
#include <vector>

#include "acme/acme_problem.hpp"
#include "acme/acme_types.hpp"
#include "acme/acme_urls.hpp"

namespace rca::acme {

/// The challenge types offered: http-01 (RFC 8555 section 8.3) and tls-alpn-01 (RFC 8737).
inline constexpr const char* kHttp01 = "http-01";
inline constexpr const char* kTlsAlpn01 = "tls-alpn-01";

/// Section 7.1.1; `website` is the router's admin UI.
nlohmann::json directory_view(const AcmeUrls& urls);
/// Section 7.1.2.
nlohmann::json account_view(const Account& account, const AcmeUrls& urls);
/// Section 7.1.3, with the status in force.
nlohmann::json order_view(const Order& order, OrderStatus status, const AcmeUrls& urls);
/// Section 7.1.4, with the status in force.
nlohmann::json authz_view(const Authorization& authz, AuthzStatus status, const AcmeUrls& urls);
/// Section 8, the challenge of `type` inside authz.
nlohmann::json challenge_view(const Authorization& authz, AuthzStatus status,
                              const std::string& type, const AcmeUrls& urls);
/// Section 6.7: the problem document, with "algorithms" for badSignatureAlgorithm.
nlohmann::json problem_view(const Problem& problem);

}  // namespace rca::acme
