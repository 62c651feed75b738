#pragma once
// Public suffixes (https://publicsuffix.org): names under which the public registers domains, such
// as com, co.uk or github.io. A home domain must never be one (architecture brief, "Scope"): its
// root would vouch for every domain anyone registered below it.
#include <string>
#include <string_view>
#include <vector>

namespace rca {

/// Answers whether a domain is a public suffix. The core declares it; psl/ picks the source.
class PublicSuffixes {
  public:
    virtual ~PublicSuffixes() = default;
    /// True when `domain` (lowercase LDH, no trailing dot) is itself a public suffix. Only listed
    /// rules count: PSL's implicit "*" rule would make every single label one, "lan" included.
    virtual bool is_public_suffix(const std::string& domain) const = 0;
    /// Which list answered, for messages: "libpsl (...)" or "the built-in list (...)".
    virtual std::string source() const = 0;
};

/// The list compiled into router-ca (builtin_public_suffixes.inc, made by
/// scripts/gen_public_suffixes.py): the ICANN section's rules of one and two labels.
class BuiltinPublicSuffixes final : public PublicSuffixes {
  public:
    BuiltinPublicSuffixes();
    bool is_public_suffix(const std::string& domain) const override;
    std::string source() const override;

  private:
    bool listed(std::string_view rule) const;

    std::vector<std::string_view> rules_;  ///< sorted
};

}  // namespace rca
