#include "wire/enrolment_wire.hpp"

#include "common/strict_json.hpp"

#include <nlohmann/json.hpp>

namespace rca::wire {
namespace {

using nlohmann::json;

void put_if(json& j, const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
}

// Reads an optional string member; a member of another type is an error, not a silent default.
bool get_string(const json& j, const char* key, bool required, std::string& out,
                std::string& error) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) error = std::string("missing required field \"") + key + "\"";
        return !required;
    }
    if (!it->is_string()) {
        error = std::string("field \"") + key + "\" must be a string";
        return false;
    }
    out = it->get<std::string>();
    return true;
}

// Parses an object body (at most kMaxBodyBytes), checked first (common/strict_json.hpp): a body
// that nests deeply would cost the router many times its size to build.
std::optional<json> parse_object(const std::string& body, std::string& error) {
    if (const auto problem = strict_json_problem(body)) {
        error = "body is " + *problem;
        return std::nullopt;
    }
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        error = "body is not valid JSON";
        return std::nullopt;
    }
    if (!j.is_object()) {
        error = "body must be a JSON object";
        return std::nullopt;
    }
    return j;
}

json problem_json(const Problem& v) {
    return json{{"type", v.type}, {"title", v.title}, {"status", v.status}, {"detail", v.detail}};
}

std::optional<Problem> problem_from(const json& j, std::string& error) {
    Problem v;
    if (!get_string(j, "type", false, v.type, error) ||
        !get_string(j, "title", false, v.title, error) ||
        !get_string(j, "detail", false, v.detail, error))
        return std::nullopt;
    const auto it = j.find("status");
    if (it != j.end() && it->is_number_integer()) v.status = it->get<int>();
    return v;
}

}  // namespace

std::string to_json(const EnrolmentSubmit& v) {
    json j = {{"csr", v.csr_pem}};
    put_if(j, "name", v.name_hint);
    put_if(j, "ipv4", v.ipv4);
    return j.dump();
}

std::string to_json(const RenewalSubmit& v) { return json{{"csr", v.csr_pem}}.dump(); }

std::string to_json(const AddressUpdate& v) {
    json j = json::object();
    put_if(j, "ipv4", v.ipv4);
    return j.dump();
}

std::string to_json(const EnrolmentStatus& v) {
    json j = json::object();
    put_if(j, "id", v.id);
    put_if(j, "token", v.token);
    put_if(j, "status", v.status);
    put_if(j, "name", v.name);
    put_if(j, "fqdn", v.fqdn);
    put_if(j, "certificate", v.certificate);
    put_if(j, "chain", v.chain);
    put_if(j, "detail", v.detail);
    put_if(j, "public_name", v.public_name);
    return j.dump();
}

std::string to_json(const Problem& v) {
    // A detail may quote hostile input (a path, a label, a member name cut at 40 octets) that is
    // not UTF-8, which JSON text must be (RFC 8259 §8.1): such octets become U+FFFD rather than
    // an exception, which would turn a refusal into a 500, or end the process when an error
    // handler writes it.
    return problem_json(v).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string to_json(const PublicCertificateStatus& v) {
    json j = json::object();
    put_if(j, "id", v.id);
    put_if(j, "name", v.name);
    put_if(j, "status", v.status);
    put_if(j, "chain", v.chain);
    if (v.problem) j["problem"] = problem_json(*v.problem);
    return j.dump();
}

std::optional<EnrolmentSubmit> parse_enrolment_submit(const std::string& body, std::string& error) {
    const auto j = parse_object(body, error);
    if (!j) return std::nullopt;
    EnrolmentSubmit v;
    if (!get_string(*j, "csr", true, v.csr_pem, error) ||
        !get_string(*j, "name", false, v.name_hint, error) ||
        !get_string(*j, "ipv4", false, v.ipv4, error))
        return std::nullopt;
    return v;
}

std::optional<RenewalSubmit> parse_renewal_submit(const std::string& body, std::string& error) {
    const auto j = parse_object(body, error);
    if (!j) return std::nullopt;
    RenewalSubmit v;
    if (!get_string(*j, "csr", true, v.csr_pem, error)) return std::nullopt;
    return v;
}

std::optional<AddressUpdate> parse_address_update(const std::string& body, std::string& error) {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) return AddressUpdate{};
    const auto j = parse_object(body, error);
    if (!j) return std::nullopt;
    AddressUpdate v;
    if (!get_string(*j, "ipv4", false, v.ipv4, error)) return std::nullopt;
    return v;
}

std::optional<EnrolmentStatus> parse_enrolment_status(const std::string& body, std::string& error) {
    const auto j = parse_object(body, error);
    if (!j) return std::nullopt;
    EnrolmentStatus v;
    if (!get_string(*j, "id", false, v.id, error) ||
        !get_string(*j, "token", false, v.token, error) ||
        !get_string(*j, "status", true, v.status, error) ||
        !get_string(*j, "name", false, v.name, error) ||
        !get_string(*j, "fqdn", false, v.fqdn, error) ||
        !get_string(*j, "certificate", false, v.certificate, error) ||
        !get_string(*j, "chain", false, v.chain, error) ||
        !get_string(*j, "detail", false, v.detail, error) ||
        !get_string(*j, "public_name", false, v.public_name, error))
        return std::nullopt;
    return v;
}

std::optional<Problem> parse_problem(const std::string& body, std::string& error) {
    const auto j = parse_object(body, error);
    if (!j) return std::nullopt;
    return problem_from(*j, error);
}

std::optional<PublicCertificateStatus> parse_public_certificate_status(const std::string& body,
                                                                       std::string& error) {
    const auto j = parse_object(body, error);
    if (!j) return std::nullopt;
    PublicCertificateStatus v;
    if (!get_string(*j, "id", false, v.id, error) ||
        !get_string(*j, "name", false, v.name, error) ||
        !get_string(*j, "status", true, v.status, error) ||
        !get_string(*j, "chain", false, v.chain, error))
        return std::nullopt;
    const auto problem = j->find("problem");
    if (problem != j->end() && !problem->is_null()) {
        if (!problem->is_object()) {
            error = "field \"problem\" must be an object";
            return std::nullopt;
        }
        v.problem = problem_from(*problem, error);
        if (!v.problem) return std::nullopt;
    }
    return v;
}

}  // namespace rca::wire
