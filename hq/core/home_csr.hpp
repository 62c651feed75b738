#pragma once
// Which CSRs HQ forwards to the public CA for a home: exactly one name, <label>.<home>.<ZONE>,
// as a dNSName SAN (and, optionally, the same name as the commonName), and nothing else (no other SANs, no IP addresses). The
// CA would sign whatever HQ sends, so this is where a home is kept inside its own zone.
#include <string>
#include <vector>

#include "hq/core/hq_error.hpp"
#include "hq/core/hq_types.hpp"

namespace hq {

/// The DER of a PEM "CERTIFICATE REQUEST"; bad_request when it is not one.
HqResult<Bytes> csr_der_from_pem(const std::string& pem);

/// The one name the CSR (DER) asks for, checked: it parses, its self-signature verifies, it has a
/// dNSName SAN, that name is one lowercase label directly under home_zone ("<home>.<ZONE>"), and
/// every other SAN or CN is that same name. bad_request says what is wrong.
HqResult<std::string> check_home_csr(const Bytes& csr_der, const std::string& home_zone);

}  // namespace hq
