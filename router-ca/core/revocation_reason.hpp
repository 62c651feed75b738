#pragma once
// Why a certificate was revoked, as a CRL entry's reasonCode says it (RFC 5280 section 5.3.1).
// One list for everyone who may name a reason: the admin (CLI and web UI), ACME clients
// (RFC 8555 section 7.6) and the router's request to HQ. It holds the reasons a certificate's
// subscriber or its CA's operator may give for a leaf: not cACompromise (2) or aACompromise (10),
// which speak of a CA, nor certificateHold (6) and removeFromCRL (8), since a revocation here is
// final, nor the unassigned 7.
#include <optional>
#include <string>

namespace rca {

/// A reason and its RFC 5280 CRLReason code.
enum class RevocationReason {
    unspecified = 0,
    key_compromise = 1,
    affiliation_changed = 3,
    superseded = 4,
    cessation_of_operation = 5,
    privilege_withdrawn = 9,
};

/// The CRLReason code (the ENUMERATED value in the CRL entry, and ACME's "reason").
int reason_code(RevocationReason reason);
/// The reason with this code; nullopt for any code outside the list above.
std::optional<RevocationReason> revocation_reason_from_code(long long code);
/// RFC 5280's name, as the CLI, the admin API and HQ's API spell it: "keyCompromise"...
const char* to_string(RevocationReason reason);
/// The reason of this name; nullopt for any other text.
std::optional<RevocationReason> revocation_reason_from(const std::string& name);
/// Every name, in code order, for help texts and error messages: "unspecified, keyCompromise, ...".
std::string revocation_reason_names();

}  // namespace rca
