#pragma once
// Text forms of enums kept as arrays indexed by the enum's value, as the store and the APIs spell
// them; one lookup serves every such table.
#include <cstddef>
#include <optional>
#include <string>

namespace rca {

/// The enum value whose name is text, or nullopt. names[i] must be the name of value i.
template <class E, size_t N>
std::optional<E> enum_from_name(const char* const (&names)[N], const std::string& text) {
    for (size_t i = 0; i < N; ++i)
        if (text == names[i]) return static_cast<E>(i);
    return std::nullopt;
}

/// The name of value in names.
template <class E, size_t N>
const char* enum_name(const char* const (&names)[N], E value) {
    return names[static_cast<size_t>(value)];
}

}  // namespace rca
