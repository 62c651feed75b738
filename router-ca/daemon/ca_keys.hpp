#pragma once
// The running daemon's custody of the CA keys (docs/ca-keys.md): the root key while it is online,
// forgetting it when `router-ca root export` moved it offline, and rotating the issuing
// intermediate — on the admin's command with a root key brought back for the purpose, or by itself
// before expiry while the root key is online.
#include <botan/rng.h>

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/issuer.hpp"
#include "core/result.hpp"
#include "files/data_paths.hpp"

namespace rca {

/// A warning about a rotation the daemon cannot do itself is logged at most this often: the due
/// date is months before expiry, so a daily line is enough and keeps the log readable.
inline constexpr std::chrono::hours kRotationWarningInterval{24};

/// What the log and status say about a root made before router-ca bounded every use: it stays
/// (nothing to reinstall), and docs/ca-keys.md says what a new one adds and how to make it.
inline constexpr const char* kOldRootWarning =
    "the root was made by an older router-ca: it bounds DNS names and IPv4 addresses only, so its "
    "key (and the earlier intermediates') can still sign for any e-mail address, URI or IPv6 "
    "address and for other purposes than TLS; only a new root bounds every use (docs/ca-keys.md)";

class CaKeys {
  public:
    /// Keys for issuer's CA stored under paths; root_key is null when the root is offline.
    /// `key_secret` encrypts new intermediate keys ("" = unencrypted); `rotated` runs after each
    /// rotation (the daemon moves its own TLS certificate to the new intermediate there).
    CaKeys(DataPaths paths, Issuer& issuer, std::shared_ptr<Botan::Private_Key> root_key,
           std::string key_secret, Botan::RandomNumberGenerator& rng,
           std::function<void()> rotated);

    /// Forgets the root key: removes its file (durably) and drops it from memory. Conflict when
    /// it is offline already.
    Result<Done> forget_root();

    /// Makes a new intermediate signed by the root key in `root_key_pem` (unencrypted PKCS#8), or
    /// by the online root key when that is empty, stores it and issues from it from now on.
    /// Returns the new intermediate's certificate.
    Result<Botan::X509_Certificate> rotate(const std::string& root_key_pem, TimePoint now);

    /// Hourly: once the current intermediate is in the last quarter of its life, or at once when
    /// an older router-ca made it (rotation_due_at), rotates when the root key is online, and
    /// otherwise logs a warning saying why.
    void maintain(TimePoint now);

    /// The key state for `router-ca status`: root key online or offline, the intermediates held,
    /// when rotation is due, a warning when it is due and cannot happen by itself, and one when
    /// the root was made before router-ca bounded every use.
    nlohmann::json status_json(TimePoint now) const;

    /// True when the root was made before router-ca bounded every use (kOldRootWarning).
    bool old_root() const { return bounds_only_dns_and_ipv4(issuer_.root()); }

  private:
    /// Why `intermediate` is due (or was due at `due`), in words for the log and status.
    std::string rotation_reason(const Botan::X509_Certificate& intermediate, TimePoint due) const;
    /// True for a CA certificate made before every use was bounded (CaBounds::dns_and_ipv4).
    bool bounds_only_dns_and_ipv4(const Botan::X509_Certificate& ca) const;
    Result<Botan::X509_Certificate> rotate_with(std::shared_ptr<Botan::Private_Key> root_key,
                                                TimePoint now);

    DataPaths paths_;
    Issuer& issuer_;
    std::string key_secret_;
    Botan::RandomNumberGenerator& rng_;
    std::function<void()> rotated_;
    mutable std::mutex mutex_;
    std::shared_ptr<Botan::Private_Key> root_key_;  ///< guarded by mutex_
    std::optional<TimePoint> last_warning_;         ///< guarded by mutex_
};

}  // namespace rca
