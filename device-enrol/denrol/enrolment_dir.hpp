#pragma once
// The device's directory: key.pem, cert.pem, chain.pem, root.pem and state.json, installed as
// one unit. A crash or power cut must never leave key.pem from one issuance beside cert.pem from
// another, so the whole bundle is staged and committed by one rename (house style #11):
//
//   1. write every file into DIR/.staging/ (each fsynced), fsync the directory;
//   2. rename .staging -> .ready, fsync DIR             <- the commit point;
//   3. rename each file from .ready into DIR, fsync DIR; remove .ready.
//
// recover() finishes step 3 for a leftover .ready (roll forward) and deletes a leftover .staging
// (roll back). Every operation holds an flock on DIR/.lock, so `run` and a manual `renew` cannot
// interleave their installs.
//
// renewal-key.pem is the key a renewal sent and has not installed yet. A renewal whose answer
// is lost (power cut, killed process) asks again with it, and the router answers with the
// certificate it already issued for it (docs/api.md, Renewal); step 3 removes it.
//
// The public certificate (docs/hq.md) is a second, smaller bundle installed the same way:
// public-key.pem, public-cert.pem and public-chain.pem. Its key is its own, not key.pem: local
// renewals replace key.pem every few weeks, while the public certificate lives on its own
// schedule. public-order-key.pem and public-order.json are the key and HQ order of a public
// request sent and not installed yet (so `run` polls the same order instead of ordering again);
// step 3 of a public install removes them.
#include <functional>
#include <string>

#include "denrol/errors.hpp"
#include "denrol/key_maker.hpp"
#include "denrol/time_text.hpp"

namespace denrol {

/// What state.json records about the enrolment.
struct DeviceState {
    std::string router_url;            ///< canonical https URL of the router
    std::string name;                  ///< the name the router assigned
    std::string fqdn;                  ///< name.domain
    std::string root_sha256;           ///< lower-case hex fingerprint of root.pem
    std::string serial;                ///< lower-case hex serial of cert.pem
    TimePoint not_before;              ///< cert.pem's validity start
    TimePoint not_after;               ///< cert.pem's expiry
    TimePoint last_renewal;            ///< when this certificate was installed
    KeyType key_type = KeyType::p256;  ///< renewals make a new key of this type
    std::string reported_ipv4;         ///< the LAN address the router last accepted; "" if unknown
    /// <name>.<home>.<ZONE> when the router offered a public certificate; "" when it did not
    std::string public_name;
};

/// state.json's text (a versioned JSON object).
std::string state_to_json(const DeviceState& state);

/// Parses state.json's text; Errc::local with a sentence naming the broken field otherwise.
Result<DeviceState> state_from_json(const std::string& text);

/// Everything one issuance installs.
struct Bundle {
    std::string key_pem;    ///< PKCS#8 PEM, installed mode 0600
    std::string cert_pem;   ///< the leaf
    std::string chain_pem;  ///< leaf + intermediate, what a TLS server sends
    std::string root_pem;   ///< the pinned root
    DeviceState state;      ///< becomes state.json
};

/// Everything one public issuance installs.
struct PublicBundle {
    std::string key_pem;    ///< PKCS#8 PEM, installed mode 0600
    std::string cert_pem;   ///< the leaf
    std::string chain_pem;  ///< the chain as issued, leaf first
};

/// What recover() found.
enum class Recovery {
    clean,           ///< nothing was left over
    rolled_forward,  ///< a committed install (.ready) was completed
    discarded,       ///< an uncommitted install (.staging) or a write's temporary was deleted
};

/// The device's enrolment directory.
class EnrolmentDir {
  public:
    static constexpr const char* kKey = "key.pem";       ///< the private key
    static constexpr const char* kCert = "cert.pem";     ///< the leaf
    static constexpr const char* kChain = "chain.pem";   ///< leaf + intermediate
    static constexpr const char* kRoot = "root.pem";     ///< the pinned root
    static constexpr const char* kState = "state.json";  ///< DeviceState
    /// The key of a renewal sent but not installed yet.
    static constexpr const char* kRenewalKey = "renewal-key.pem";
    /// The router's CRLs, each checked up to the pinned root; not part of the bundle, since it
    /// changes on its own schedule (revocation_list.hpp).
    static constexpr const char* kCrl = "crl.pem";
    /// The public certificate's key, leaf and chain (leaf first), installed together.
    static constexpr const char* kPublicKey = "public-key.pem";
    static constexpr const char* kPublicCert = "public-cert.pem";
    static constexpr const char* kPublicChain = "public-chain.pem";
    /// The key and the HQ order ({"id", "name"}) of a public request not installed yet.
    static constexpr const char* kPublicOrderKey = "public-order-key.pem";
    static constexpr const char* kPublicOrder = "public-order.json";

    /// A directory at `path` (created on the first install).
    explicit EnrolmentDir(std::string path);

    /// The directory itself.
    const std::string& path() const { return path_; }
    /// DIR/`name`.
    std::string file(const char* name) const { return path_ + "/" + name; }

    /// Completes or discards an install a crash interrupted; call before reading anything.
    Result<Recovery> recover() const;

    /// Installs the whole bundle atomically (key.pem mode 0600, the rest 0644).
    Result<Done> install(const Bundle& bundle) const;

    /// Installs the public bundle atomically (public-key.pem mode 0600, the rest 0644) and
    /// removes the public order it answers.
    Result<Done> install_public(const PublicBundle& bundle) const;

    /// Reads and parses state.json; Errc::local saying to pair first when it is missing.
    Result<DeviceState> load_state() const;

    /// Applies `change` to state.json under the directory's lock and writes it back atomically
    /// (for facts that do not belong to one issuance, such as the reported address). The state
    /// written.
    Result<DeviceState> update_state(const std::function<void(DeviceState&)>& change) const;

    /// Keeps `text` as DIR/`name` (mode 0600) under the directory's lock: the key of a request
    /// before its CSR is sent (renewal-key.pem, public-order-key.pem), or a public order. The
    /// install that answers the request removes it.
    Result<Done> keep_pending(const char* name, const std::string& text) const;

    /// Removes DIR/`name` (a pending request that ended without an install); missing is fine.
    Result<Done> forget(const char* name) const;

    /// Replaces DIR/`name` (mode 0644) with what `change` makes of its current text ("" when
    /// missing), atomically and under the directory's lock, creating DIR (0700) if needed.
    /// Nothing is written when `change` fails; its error is returned.
    Result<Done> update_file(
        const char* name,
        const std::function<Result<std::string>(const std::string& current)>& change) const;

    /// Reads one file of the bundle; Errc::local naming it on failure.
    Result<std::string> read(const char* name) const;

    /// True when `name` exists in the directory.
    bool has(const char* name) const;

    /// True while an install is in progress or awaiting recovery (readers should wait).
    bool install_pending() const;

  private:
    std::string path_;
};

}  // namespace denrol
