#include <algorithm>

#include "core/public_suffixes.hpp"

namespace rca {
namespace {

// One rule per line, sorted; the file's first line says which PSL version it was made from.
constexpr std::string_view kRules =
#include "core/builtin_public_suffixes.inc"
    ;

}  // namespace

BuiltinPublicSuffixes::BuiltinPublicSuffixes() {
    size_t start = 0;
    while (start < kRules.size()) {
        const size_t end = std::min(kRules.find('\n', start), kRules.size());
        rules_.push_back(kRules.substr(start, end - start));
        start = end + 1;
    }
}

bool BuiltinPublicSuffixes::listed(std::string_view rule) const {
    return std::binary_search(rules_.begin(), rules_.end(), rule);
}

bool BuiltinPublicSuffixes::is_public_suffix(const std::string& domain) const {
    // The PSL algorithm (publicsuffix.org/list, "Algorithm") for the rules held here: an exception
    // rule ("!www.ck") wins, then the domain itself, then a wildcard one label up ("*.ck").
    if (listed("!" + domain)) return false;
    if (listed(domain)) return true;
    const auto dot = domain.find('.');
    return dot != std::string::npos && domain.find('.', dot + 1) == std::string::npos &&
           listed("*" + domain.substr(dot));
}

std::string BuiltinPublicSuffixes::source() const {
    return "the built-in list (ICANN rules of one and two labels, " +
           std::to_string(rules_.size()) + " rules)";
}

}  // namespace rca
