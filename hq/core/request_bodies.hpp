#pragma once
// The JSON bodies of HQ's API (docs/hq.md), read without HTTP (house style #1) so that the daemon's
// routes and the fuzz targets (tests/fuzz) parse them with the same code. A body is a JSON object
// of exactly its members, all strings, parsed strictly (no duplicate members, bounded nesting): a
// misspelt member is an error, not an ignored field. What the members hold is checked by
// HomeService (input_rules.hpp, home_csr.hpp), not here.
#include <string>
#include <string_view>

#include "hq/core/hq_error.hpp"

namespace hq {

/// Request bodies above this are refused with 413 before they are read: the largest legitimate
/// body is a CSR with an RSA-4096 key, under 4 KiB of PEM.
inline constexpr size_t kMaxBodyBytes = 16 * 1024;

/// POST /v1/homes: {"token": ..., "address": ...}.
struct RegistrationBody {
    std::string token;
    std::string address;
};

/// PUT /v1/homes/<home>/records/<label>: {"address": ...}.
struct RecordBody {
    std::string address;
};

/// POST /v1/homes/<home>/certificates: {"csr": PEM}.
struct CertificateOrderBody {
    std::string csr;
};

/// The registration body; bad_request names the first thing wrong with it.
HqResult<RegistrationBody> parse_registration_body(std::string_view body);
/// The body of a record update; bad_request names the first thing wrong with it.
HqResult<RecordBody> parse_record_body(std::string_view body);
/// The body of a certificate order; bad_request names the first thing wrong with it.
HqResult<CertificateOrderBody> parse_certificate_order_body(std::string_view body);

}  // namespace hq
