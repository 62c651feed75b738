#pragma once
// Expected failures are values (house style #5): a bad CSR, a policy denial, an unknown id or a
// revoked certificate is a Result holding an Error; a bug is an exception.
#include <string>
#include <utility>
#include <variant>

namespace rca {

/// The kinds of expected failure; the HTTP layer maps each to one status code.
enum class Errc {
    malformed,      ///< the request cannot be parsed (bad JSON, bad PEM, bad DER)
    bad_csr,        ///< the CSR parses but is unacceptable (bad signature, weak key)
    policy_denied,  ///< a policy rule refuses it (name, lifetime, address)
    not_found,      ///< no such request, device or certificate
    unauthorized,   ///< no or wrong credential (token, client certificate)
    forbidden,      ///< a valid credential that may not do this (revoked, superseded)
    conflict,       ///< the state does not allow it now (already decided)
    unavailable,    ///< a dependency is not ready (CA not loaded)
};

/// A failure with a message a person can act on.
struct Error {
    Errc code;
    std::string detail;
};

/// Either a value or an Error.
template <class T>
class Result {
  public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design, like std::expected
    Result(Error error) : v_(std::move(error)) {}  // NOLINT

    /// True when a value is held.
    bool ok() const { return std::holds_alternative<T>(v_); }
    explicit operator bool() const { return ok(); }
    /// The value; only call when ok().
    const T& value() const& { return std::get<T>(v_); }
    T& value() & { return std::get<T>(v_); }
    T&& value() && { return std::get<T>(std::move(v_)); }
    /// The error; only call when !ok().
    const Error& error() const { return std::get<Error>(v_); }

  private:
    std::variant<T, Error> v_;
};

/// Result for operations that return nothing on success.
struct Done {};

/// Builds an Error in one expression.
inline Error fail(Errc code, std::string detail) { return Error{code, std::move(detail)}; }

}  // namespace rca
