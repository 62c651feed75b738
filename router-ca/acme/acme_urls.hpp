#pragma once
// The ACME resources' paths, shared by the daemon's router (which matches them) and the service
// (which writes them into Location, Link, kid and objects). URLs are absolute (RFC 8555 section
// 7.1), made from the base the client reached the router at.
#include <string>

namespace rca::acme {

/// Everything lives under this prefix on the router's HTTPS port.
inline constexpr const char* kAcmePrefix = "/acme";
inline constexpr const char* kDirectoryPath = "/acme/directory";
inline constexpr const char* kNewNoncePath = "/acme/new-nonce";
inline constexpr const char* kNewAccountPath = "/acme/new-account";
inline constexpr const char* kNewOrderPath = "/acme/new-order";
inline constexpr const char* kRevokeCertPath = "/acme/revoke-cert";
inline constexpr const char* kKeyChangePath = "/acme/key-change";
inline constexpr const char* kAccountPath = "/acme/acct/";     ///< + id
inline constexpr const char* kOrderPath = "/acme/order/";      ///< + id (+ "/finalize")
inline constexpr const char* kAuthzPath = "/acme/authz/";      ///< + id
inline constexpr const char* kChallengePath = "/acme/chall/";  ///< + authz id + "/" + type
inline constexpr const char* kCertPath = "/acme/cert/";        ///< + serial

/// The absolute URLs of one base ("https://router.home.arpa:8443").
struct AcmeUrls {
    std::string base;

    std::string directory() const { return base + kDirectoryPath; }
    std::string new_nonce() const { return base + kNewNoncePath; }
    std::string new_account() const { return base + kNewAccountPath; }
    std::string new_order() const { return base + kNewOrderPath; }
    std::string revoke_cert() const { return base + kRevokeCertPath; }
    std::string key_change() const { return base + kKeyChangePath; }
    std::string account(const std::string& id) const { return base + kAccountPath + id; }
    std::string account_orders(const std::string& id) const { return account(id) + "/orders"; }
    std::string order(const std::string& id) const { return base + kOrderPath + id; }
    std::string finalize(const std::string& id) const { return order(id) + "/finalize"; }
    std::string authz(const std::string& id) const { return base + kAuthzPath + id; }
    std::string challenge(const std::string& authz_id, const std::string& type) const {
        return base + kChallengePath + authz_id + "/" + type;
    }
    std::string certificate(const std::string& serial) const { return base + kCertPath + serial; }
};

}  // namespace rca::acme
