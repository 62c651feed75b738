#pragma once
// The JSON shapes of the enrolment API, shared by router-ca and device-enrol (house style #15: the
// device client shares only wire types with the daemon). Parsers treat every body as hostile.
#include <optional>
#include <string>

namespace rca::wire {

/// URL paths of the API.
inline constexpr const char* kEnrolmentsPath = "/api/v1/enrolments";
inline constexpr const char* kRenewalsPath = "/api/v1/renewals";
inline constexpr const char* kAddressPath = "/api/v1/address";
/// Public certificates relayed to the vendor's HQ (docs/hq.md): POST here, then GET <path>/<id>.
inline constexpr const char* kPublicCertificatesPath = "/api/v1/public-certificates";
inline constexpr const char* kRootPemPath = "/ca/root.pem";
inline constexpr const char* kRootDerPath = "/ca/root.crt";
inline constexpr const char* kChainPemPath = "/ca/chain.pem";
inline constexpr const char* kCrlPath = "/crl";
inline constexpr const char* kHealthPath = "/healthz";

/// Media type of problem documents (RFC 7807 section 3).
inline constexpr const char* kProblemJson = "application/problem+json";

/// Largest body the daemon accepts; a CSR with an RSA-4096 key is about 2 KiB of PEM.
inline constexpr size_t kMaxBodyBytes = 64 * 1024;

/// POST /api/v1/enrolments body.
struct EnrolmentSubmit {
    std::string csr_pem;
    std::string name_hint;  ///< optional; "" when absent
    /// Optional; "" when absent. The router takes the address from the connection and refuses
    /// a stated one that differs (devices built before that still send it).
    std::string ipv4;
};

/// POST /api/v1/renewals body.
struct RenewalSubmit {
    std::string csr_pem;
};

/// PUT /api/v1/address body: the router records the connection's source address; an empty body
/// is the usual one.
struct AddressUpdate {
    std::string ipv4;  ///< optional; "" when absent; when given, it must be the source address
};

/// Response of submit, poll and renewal. Empty strings are left out of the JSON.
struct EnrolmentStatus {
    std::string id;
    std::string token;   ///< only in the answer to a submission
    std::string status;  ///< pending | issued | denied | overlap | expired
    std::string name;
    std::string fqdn;
    std::string certificate;  ///< PEM leaf
    std::string chain;        ///< PEM leaf + intermediate
    std::string detail;
    /// <name>.<home>.<ZONE> when the router has a home at HQ: the name a CSR sent to
    /// kPublicCertificatesPath must carry.
    std::string public_name;
};

/// POST /api/v1/public-certificates body: {"csr": PEM}, the same shape as a renewal.
using PublicCertificateSubmit = RenewalSubmit;

/// An RFC 7807 problem document.
struct Problem {
    std::string type;
    std::string title;
    int status = 0;
    std::string detail;
};

/// Answer of POST /api/v1/public-certificates and GET /api/v1/public-certificates/<id>. Empty
/// strings are left out of the JSON.
struct PublicCertificateStatus {
    std::string id;      ///< HQ's order id (128 random bits: the capability for the GET)
    std::string name;    ///< the public name ordered
    std::string status;  ///< pending | issued | failed
    std::string chain;   ///< PEM, leaf first, when issued
    std::optional<Problem> problem;  ///< the public CA's or HQ's problem, when failed
};

/// Serialisers.
std::string to_json(const EnrolmentSubmit& v);
std::string to_json(const RenewalSubmit& v);
std::string to_json(const AddressUpdate& v);
std::string to_json(const EnrolmentStatus& v);
std::string to_json(const Problem& v);
std::string to_json(const PublicCertificateStatus& v);

/// Parsers: nullopt with `error` set to a sentence naming the problem for malformed input.
std::optional<EnrolmentSubmit> parse_enrolment_submit(const std::string& body, std::string& error);
std::optional<RenewalSubmit> parse_renewal_submit(const std::string& body, std::string& error);
/// An empty body is an AddressUpdate with no address.
std::optional<AddressUpdate> parse_address_update(const std::string& body, std::string& error);
std::optional<EnrolmentStatus> parse_enrolment_status(const std::string& body, std::string& error);
std::optional<Problem> parse_problem(const std::string& body, std::string& error);
std::optional<PublicCertificateStatus> parse_public_certificate_status(const std::string& body,
                                                                       std::string& error);

}  // namespace rca::wire
