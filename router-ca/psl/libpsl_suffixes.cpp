#include <libpsl.h>

#include "psl/system_suffixes.hpp"

namespace rca {
namespace {

class LibpslSuffixes final : public PublicSuffixes {
  public:
    // psl_latest: the newer of libpsl's built-in data and the system's list (Debian's
    // publicsuffix package, updated with the system). Loaded once; libpsl keeps it for the process.
    LibpslSuffixes() : psl_(psl_latest(nullptr)) {}

    bool is_public_suffix(const std::string& domain) const override {
        // No list could be loaded at all: the compiled-in one still answers, never "none are".
        if (!psl_) return builtin_.is_public_suffix(domain);
        // Both sections (ICANN and private: github.io counts), without the implicit "*" rule.
        return psl_is_public_suffix2(psl_, domain.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) !=
               0;
    }

    std::string source() const override {
        if (!psl_) return builtin_.source();
        const char* file = psl_dist_filename();
        return std::string("libpsl ") + psl_get_version() + " with " +
               (file && *file ? file : "its built-in list");
    }

  private:
    const psl_ctx_t* psl_;
    BuiltinPublicSuffixes builtin_;
};

}  // namespace

const PublicSuffixes& system_public_suffixes() {
    static const LibpslSuffixes suffixes;
    return suffixes;
}

}  // namespace rca
