#include "hq/core/request_bodies.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "jose/strict_json.hpp"

namespace hq {
namespace {

using json = nlohmann::json;
using Members = std::map<std::string, std::string>;

// The body as exactly the string members `required` (no others).
HqResult<Members> parse_members(std::string_view body, const std::set<std::string>& required) {
    const auto parsed = rca::jose::parse_strict_json(body, "request body");
    if (!parsed) return HqError{HqErrc::bad_request, parsed.error().detail};
    const json& object = parsed.value();
    if (!object.is_object()) return HqError{HqErrc::bad_request, "the body must be a JSON object"};
    Members members;
    for (const auto& [key, value] : object.items()) {
        if (!required.count(key))
            return HqError{HqErrc::bad_request, "unknown member \"" + key.substr(0, 40) + "\""};
        if (!value.is_string())
            return HqError{HqErrc::bad_request, "member \"" + key + "\" must be a string"};
        members[key] = value.get<std::string>();
    }
    for (const auto& key : required)
        if (!members.count(key))
            return HqError{HqErrc::bad_request, "missing member \"" + key + "\""};
    return members;
}

}  // namespace

HqResult<RegistrationBody> parse_registration_body(std::string_view body) {
    auto members = parse_members(body, {"token", "address"});
    if (!members) return members.error();
    return RegistrationBody{members.value().at("token"), members.value().at("address")};
}

HqResult<RecordBody> parse_record_body(std::string_view body) {
    auto members = parse_members(body, {"address"});
    if (!members) return members.error();
    return RecordBody{members.value().at("address")};
}

HqResult<CertificateOrderBody> parse_certificate_order_body(std::string_view body) {
    auto members = parse_members(body, {"csr"});
    if (!members) return members.error();
    return CertificateOrderBody{members.value().at("csr")};
}

}  // namespace hq
