#pragma once
// Expected failures are values (house style #5). The daemon's core and the device client each have
// their own error kinds; this one template carries either.
#include <utility>
#include <variant>

namespace rca {

/// Either a value T or an error E (like C++23's std::expected).
template <class T, class E>
class BasicResult {
public:
    BasicResult(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
    BasicResult(E error) : v_(std::move(error)) {}  // NOLINT

    /// True when a value is held.
    bool ok() const { return std::holds_alternative<T>(v_); }
    /// Same as ok().
    explicit operator bool() const { return ok(); }
    /// The value; only call when ok().
    const T& value() const& { return std::get<T>(v_); }
    /// The value; only call when ok().
    T& value() & { return std::get<T>(v_); }
    /// The value, moved out; only call when ok().
    T&& value() && { return std::get<T>(std::move(v_)); }
    /// The error; only call when !ok().
    const E& error() const { return std::get<E>(v_); }

private:
    std::variant<T, E> v_;
};

/// The value of operations that return nothing on success.
struct Done {};

}  // namespace rca
