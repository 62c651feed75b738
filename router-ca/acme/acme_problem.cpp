#include "acme/acme_problem.hpp"

namespace rca::acme {
namespace {

struct TypeInfo {
    const char* name;
    int status;
};

// Indexed by ProblemType. Statuses follow RFC 8555's examples: 400 for what the client sent,
// 403 for what it may not do, 404 for what does not exist, 500 for the server's own failure.
constexpr TypeInfo kTypes[] = {
    {"malformed", 400},
    {"malformed", 404},
    {"malformed", 415},
    {"malformed", 405},
    {"malformed", 409},
    {"badNonce", 400},
    {"badSignatureAlgorithm", 400},
    {"badPublicKey", 400},
    {"unauthorized", 403},
    {"unauthorized", 401},
    {"accountDoesNotExist", 400},
    {"rejectedIdentifier", 400},
    {"unsupportedIdentifier", 400},
    {"badCSR", 400},
    {"orderNotReady", 403},
    {"alreadyRevoked", 400},
    {"badRevocationReason", 400},
    {"unsupportedContact", 400},
    {"incorrectResponse", 403},
    {"connection", 400},
    {"rateLimited", 429},
    {"serverInternal", 500},
};

}  // namespace

const char* problem_name(ProblemType type) { return kTypes[static_cast<size_t>(type)].name; }

std::string problem_urn(ProblemType type) {
    return std::string("urn:ietf:params:acme:error:") + problem_name(type);
}

int problem_status(ProblemType type) { return kTypes[static_cast<size_t>(type)].status; }

}  // namespace rca::acme
