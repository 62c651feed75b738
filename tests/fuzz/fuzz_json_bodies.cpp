// libFuzzer target: the JSON bodies of the device API (wire/enrolment_wire.hpp). Every parse_*
// sees every input: the daemon parses submissions, renewals and address updates; device-enrol
// parses the router's statuses and problems, which a LAN attacker posing as the router can forge.
// What parses must survive a round trip through to_json unchanged (but for a status whose
// "status" is "": to_json leaves empty strings out, so that one cannot come back).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "exact_input.hpp"
#include "wire/enrolment_wire.hpp"

namespace {

void require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "fuzz_json_bodies: round trip changed %s\n", what);
    std::abort();
}

}  // namespace

int rca::fuzz::test_one_input(const uint8_t* data, size_t size) {
    using namespace rca::wire;
    // The daemon refuses larger bodies before parsing them.
    if (size > kMaxBodyBytes) return 0;
    const std::string body(as_text(data, size));
    std::string error;

    if (const auto v = parse_enrolment_submit(body, error)) {
        const auto again = parse_enrolment_submit(to_json(*v), error);
        require(again && again->csr_pem == v->csr_pem && again->name_hint == v->name_hint &&
                    again->ipv4 == v->ipv4,
                "an enrolment submission");
    }
    if (const auto v = parse_renewal_submit(body, error)) {
        const auto again = parse_renewal_submit(to_json(*v), error);
        require(again && again->csr_pem == v->csr_pem, "a renewal submission");
    }
    if (const auto v = parse_address_update(body, error)) {
        const auto again = parse_address_update(to_json(*v), error);
        require(again && again->ipv4 == v->ipv4, "an address update");
    }
    if (const auto v = parse_enrolment_status(body, error); v && !v->status.empty()) {
        const auto again = parse_enrolment_status(to_json(*v), error);
        require(again && again->id == v->id && again->token == v->token &&
                    again->status == v->status && again->name == v->name &&
                    again->fqdn == v->fqdn && again->certificate == v->certificate &&
                    again->chain == v->chain && again->detail == v->detail &&
                    again->public_name == v->public_name,
                "an enrolment status");
    }
    if (const auto v = parse_public_certificate_status(body, error); v && !v->status.empty()) {
        const auto again = parse_public_certificate_status(to_json(*v), error);
        require(again && again->id == v->id && again->name == v->name &&
                    again->status == v->status && again->chain == v->chain &&
                    again->problem.has_value() == v->problem.has_value() &&
                    (!v->problem || (again->problem->type == v->problem->type &&
                                     again->problem->detail == v->problem->detail &&
                                     again->problem->status == v->problem->status)),
                "a public certificate status");
    }
    if (const auto v = parse_problem(body, error)) {
        const auto again = parse_problem(to_json(*v), error);
        require(again && again->type == v->type && again->title == v->title &&
                    again->status == v->status && again->detail == v->detail,
                "a problem document");
    }
    return 0;
}
