#include "core/pairing_plan.hpp"

#include <catch2/catch.hpp>

#include "support/test_pki.hpp"

namespace rca {
namespace {

const TimePoint t0 = test::test_epoch();

std::vector<PairingWrite::Kind> kinds(const PairingPlan& plan) {
    std::vector<PairingWrite::Kind> out;
    for (const auto& w : plan.writes) out.push_back(w.kind);
    return out;
}

TEST_CASE("pairing plan: a lone device is issued, with its audit event, and nothing else",
          "[pairing][plan]") {
    const auto plan = plan_pairing({{PairingVerdict::approve, ParticipantId::device_request("r")}},
                                   PairingSnapshot{}, t0);
    CHECK(kinds(plan) == std::vector<PairingWrite::Kind>{PairingWrite::Kind::issue});
    REQUIRE(plan.writes[0].audit);
    CHECK(plan.writes[0].audit->event == "request.approved");
    CHECK(plan.writes[0].audit->subject == "r");
    CHECK(plan.writes[0].audit->at == t0);
    // The devices change only once the applier has issued: issue_for says so, not the plan.
    CHECK_FALSE(plan.effects.devices_changed);
    CHECK_FALSE(plan.effects.overlap);
    CHECK_FALSE(plan.refresh_crl);
}

TEST_CASE("pairing plan: an overlap marks, withdraws and alerts with the window's participants",
          "[pairing][plan]") {
    PairingSnapshot window;
    window.outcome = WindowOutcome::overlap;
    window.outcome_requests = {ParticipantId::device_request("parked"),
                               ParticipantId::device_request("real")};
    const auto plan =
        plan_pairing({{PairingVerdict::withdraw, ParticipantId::device_request("parked")},
                      {PairingVerdict::overlap, ParticipantId::device_request("real")}},
                     window, t0);
    CHECK(kinds(plan) == std::vector<PairingWrite::Kind>{PairingWrite::Kind::withdraw_issued,
                                                         PairingWrite::Kind::mark_overlap});
    CHECK_FALSE(plan.writes[0].audit);  // worded by the applier, with the serial and the name
    CHECK(plan.writes[1].audit->event == "pairing.overlap");
    REQUIRE(plan.effects.overlap);
    CHECK(*plan.effects.overlap == window.outcome_requests);
}

TEST_CASE("pairing plan: a retry with the same key supersedes the older request",
          "[pairing][plan]") {
    const auto plan = plan_pairing(
        {{PairingVerdict::replaced, ParticipantId::device_request("a1")}}, PairingSnapshot{}, t0);
    CHECK(kinds(plan) == std::vector<PairingWrite::Kind>{PairingWrite::Kind::mark_replaced});
    CHECK(plan.writes[0].audit->event == "request.replaced");
    CHECK_FALSE(plan.effects.overlap);
}

TEST_CASE("pairing plan: decisions about ACME accounts go to the ACME side, whatever the verdict",
          "[pairing][plan]") {
    const auto verdict = GENERATE(PairingVerdict::approve, PairingVerdict::overlap,
                                  PairingVerdict::replaced, PairingVerdict::withdraw);
    const auto plan =
        plan_pairing({{verdict, ParticipantId::acme_account("acct")}}, PairingSnapshot{}, t0);
    CHECK(kinds(plan) == std::vector<PairingWrite::Kind>{PairingWrite::Kind::decide_account});
    CHECK(plan.writes[0].decision.verdict == verdict);
    CHECK(plan.writes[0].decision.who == ParticipantId::acme_account("acct"));
    CHECK(plan.effects.accounts_decided);
    // A withdrawn account's certificates were revoked: CRL, DNS and mDNS follow.
    const bool withdrawn = verdict == PairingVerdict::withdraw;
    CHECK(plan.refresh_crl == withdrawn);
    CHECK(plan.effects.devices_changed == withdrawn);
}

TEST_CASE("pairing plan: no decisions, nothing to do", "[pairing][plan]") {
    const auto plan = plan_pairing({}, PairingSnapshot{}, t0);
    CHECK(plan.writes.empty());
    CHECK_FALSE(plan.effects.devices_changed);
    CHECK_FALSE(plan.effects.accounts_decided);
    CHECK_FALSE(plan.effects.overlap);
    CHECK(plan.effects.warnings.empty());
}

}  // namespace
}  // namespace rca
