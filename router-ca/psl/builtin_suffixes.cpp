#include "psl/system_suffixes.hpp"

namespace rca {

const PublicSuffixes& system_public_suffixes() {
    static const BuiltinPublicSuffixes suffixes;
    return suffixes;
}

}  // namespace rca
