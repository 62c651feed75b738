#pragma once
// The promises the HQ body targets (fuzz_hq_*) check beyond ASan and UBSan, over one fixed home:
// a refused request is answered 400 with a problem document that can be sent, and what HQ
// accepts can be published in its vendor zone (hq/core/vendor_zone.hpp), which answers it.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "hq/core/hq_error.hpp"
#include "hq/core/hq_types.hpp"
#include "hq/core/problem_document.hpp"
#include "hq/core/vendor_zone.hpp"
#include "wire/enrolment_wire.hpp"

namespace rca::fuzz::hq_checks {

/// The vendor zone and the home the targets work in.
inline const std::string kZone = "vendor.example";
inline const std::string kHome = "nifty-babbage";

/// Stops the run as a finding when a promise does not hold.
inline void require(bool holds, const char* what, const std::string& about = "") {
    if (holds) return;
    std::fprintf(stderr, "fuzz_hq: broken invariant: %s %s\n", what, about.c_str());
    std::abort();
}

/// A refusal of hostile input is a 400 whose problem document, as hq/daemon/hq_problem.cpp sends
/// it, is JSON that reads back with its status and a detail (not a 500 from the encoder).
inline void require_refusal(const hq::HqError& error) {
    require(error.code == hq::HqErrc::bad_request, "a refusal of input is bad_request",
            error.detail);
    require(!error.detail.empty(), "a refusal says what is wrong");
    std::string document;
    try {
        document = rca::wire::to_json(hq::problem_document(error));
    } catch (const std::exception& e) {
        require(false, "the problem document of a refusal can be written:", e.what());
    }
    std::string parse_error;
    const auto problem = rca::wire::parse_problem(document, parse_error);
    require(problem && problem->status == 400 && !problem->detail.empty(),
            "the problem document reads back as a 400 with a detail", document);
}

/// The vendor zone holding records and challenges answers `name` of `type` with the records
/// built from them: building it must not throw (it does for a name that is not a zone name, and
/// then the daemon's zone rebuild fails for every home).
inline std::vector<rca::ResourceRecord> published(const std::vector<hq::HomeRecord>& records,
                                                  const std::vector<hq::ChallengeTxt>& challenges,
                                                  const std::string& name, rca::RrType type) {
    rca::ZoneAnswer answer;
    try {
        const rca::ZoneSet zone = hq::build_vendor_zone({kZone, records, challenges, 1});
        answer = zone.answer(rca::Question{name, static_cast<uint16_t>(type), rca::kClassIn});
    } catch (const std::exception& e) {
        require(false, "what HQ accepts builds into its vendor zone:", e.what());
    }
    require(answer.rcode == rca::Rcode::noerror, "the vendor zone answers what HQ accepted", name);
    return answer.answer;
}

/// The A record <label>.<kHome>.<kZone> -> address is published as exactly that.
inline void require_record_published(const std::string& label, rca::Ipv4 address) {
    const std::string name = hq::record_name(label, kHome, kZone);
    const auto answer = published({{kHome, label, address}}, {}, name, rca::RrType::a);
    require(answer.size() == 1 && std::get<rca::Ipv4>(answer[0].data) == address,
            "the vendor zone answers a record with its address", name);
}

}  // namespace rca::fuzz::hq_checks
