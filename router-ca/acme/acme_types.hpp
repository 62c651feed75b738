#pragma once
// The ACME server's values (RFC 8555 section 7.1): accounts, External Account Binding keys,
// orders and authorizations, as the store keeps them. Plain structs (house style #3).
#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace rca::acme {

/// RFC 8555 section 7.1.6.
enum class AccountStatus { valid, deactivated, revoked };

/// How an account got (or did not get) permission to order certificates: the pairing gate.
enum class Approval {
    waiting,  ///< created outside a pairing window: waits for the button or the admin
    overlap,  ///< created in a window together with another device or account: the admin decides
    pairing,  ///< the only newcomer in a pairing window
    admin,    ///< approved by the admin (`router-ca acme approve`, the web UI)
    eab,      ///< created with a valid External Account Binding (RFC 8555 section 7.3.4)
};

/// True for the approvals that let an account order.
inline bool approved(Approval a) {
    return a == Approval::pairing || a == Approval::admin || a == Approval::eab;
}

struct Account {
    std::string id;          ///< random 128-bit hex; the account URL is <base>/acme/acct/<id>
    std::string jwk_json;    ///< the account key's canonical JWK (RFC 7638 form)
    std::string thumbprint;  ///< RFC 7638 thumbprint of that key; unique among accounts
    std::vector<std::string> contact;  ///< "mailto:..." URLs as the client gave them
    AccountStatus status = AccountStatus::valid;
    Approval approval = Approval::waiting;
    std::string eab_kid;  ///< the EAB key id it was bound with; empty when none
    TimePoint created_at{};
    std::optional<TimePoint> approved_at;
    std::string source{};  ///< the address that created it, as text; caps count per source
};

/// An External Account Binding key made by the admin (`router-ca acme eab-create`).
struct EabKey {
    std::string kid;
    Bytes mac_key;  ///< HMAC-SHA256 key, 256 random bits
    TimePoint created_at{};
    std::string bound_account;  ///< the account it made; empty while unused (each key binds once)
};

/// RFC 8555 section 7.1.6.
enum class OrderStatus { pending, ready, processing, valid, invalid };
enum class AuthzStatus { pending, valid, invalid, deactivated, expired, revoked };

/// A problem recorded on an order or authorization (RFC 8555 section 6.7), e.g. why a
/// validation failed. Empty type means none.
struct StoredProblem {
    std::string type;  ///< the short ACME type: "incorrectResponse", "connection", ...
    std::string detail;
};

/// One identifier's authorization inside one order. Every authorization offers the same
/// challenges, sharing one token; the one the client posted is `attempted`.
struct Authorization {
    std::string id;  ///< random 128-bit hex
    std::string order_id;
    std::string account_id;
    std::string identifier;  ///< the dns identifier as ordered, lowercase: "nas.home.arpa"
    std::string label;       ///< the device name it stands for: "nas"
    AuthzStatus status = AuthzStatus::pending;
    TimePoint expires{};
    std::string token;      ///< the challenge token: 128 random bits, base64url
    std::string attempted;  ///< the challenge type the client posted ("http-01"); "" before
    std::optional<TimePoint> validated_at;
    std::optional<Ipv4> validated_address;  ///< where the challenge answer was fetched
    StoredProblem error;
};

struct Order {
    std::string id;  ///< random 128-bit hex
    std::string account_id;
    OrderStatus status = OrderStatus::pending;
    TimePoint created_at{};
    TimePoint expires{};
    std::vector<std::string> identifiers;        ///< dns identifiers, lowercase, in request order
    std::vector<std::string> authorization_ids;  ///< same order as identifiers
    std::string label;  ///< the one device name every identifier stands for
    StoredProblem error;
    std::string cert_serial;  ///< set once valid
};

/// Text forms, as stored and as RFC 8555 names them.
const char* to_string(AccountStatus s);
const char* to_string(Approval a);
const char* to_string(OrderStatus s);
const char* to_string(AuthzStatus s);
std::optional<AccountStatus> account_status_from(const std::string& text);
std::optional<Approval> approval_from(const std::string& text);
std::optional<OrderStatus> order_status_from(const std::string& text);
std::optional<AuthzStatus> authz_status_from(const std::string& text);

}  // namespace rca::acme
