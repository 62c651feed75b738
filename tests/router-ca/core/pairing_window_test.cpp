#include "core/pairing_window.hpp"

#include <catch2/catch.hpp>

#include "support/test_pki.hpp"

namespace rca {
namespace {

using std::chrono::seconds;

const TimePoint t0 = test::test_epoch();

PairingCandidate request(const std::string& id, const std::string& key, TimePoint at) {
    return {ParticipantId::device_request(id), key, at};
}

std::vector<std::string> with(const std::vector<PairingDecision>& ds, PairingVerdict v) {
    std::vector<std::string> ids;
    for (const auto& d : ds)
        if (d.verdict == v) ids.push_back(to_string(d.who));
    return ids;
}

std::vector<std::string> outcome_of(const PairingWindow& w) {
    std::vector<std::string> ids;
    for (const auto& who : w.snapshot().outcome_requests) ids.push_back(to_string(who));
    return ids;
}

TEST_CASE("one device in the window is approved after the guard", "[pairing]") {
    PairingWindow w(PairingRules{});
    CHECK(w.open(t0, seconds(120), {}).empty());
    CHECK(w.on_request(t0 + seconds(10), request("a", "ka", t0 + seconds(10))).empty());
    CHECK(w.next_deadline() == t0 + seconds(12));
    CHECK(w.on_tick(t0 + seconds(11)).empty());  // still inside the guard
    const auto d = w.on_tick(t0 + seconds(12));
    CHECK(with(d, PairingVerdict::approve) == std::vector<std::string>{"a"});
    CHECK(w.snapshot().outcome == WindowOutcome::approved);
    // Still watching until the window's end, then closed with the approval standing.
    CHECK(w.snapshot().open);
    CHECK(w.next_deadline() == t0 + seconds(120));
    CHECK(w.on_tick(t0 + seconds(119)).empty());
    CHECK(w.on_tick(t0 + seconds(120)).empty());
    CHECK_FALSE(w.snapshot().open);
    CHECK(w.snapshot().outcome == WindowOutcome::approved);
    CHECK(outcome_of(w) == std::vector<std::string>{"a"});
}

TEST_CASE("a request parked before the press wins nothing once the real device asks", "[pairing]") {
    PairingWindow w(PairingRules{});
    const TimePoint press = t0 + seconds(300);
    // The attacker's request waits from before the press: the lone asker, approved after the guard.
    w.open(press, seconds(120), {request("parked", "k-attacker", press - seconds(100))});
    CHECK(with(w.on_tick(press + seconds(2)), PairingVerdict::approve) ==
          std::vector<std::string>{"parked"});
    // The real device asks a minute later, still inside the window.
    const auto d =
        w.on_request(press + seconds(60), request("real", "k-device", press + seconds(60)));
    CHECK(with(d, PairingVerdict::withdraw) == std::vector<std::string>{"parked"});
    CHECK(with(d, PairingVerdict::overlap) == std::vector<std::string>{"real"});
    CHECK(with(d, PairingVerdict::approve).empty());
    CHECK(w.snapshot().outcome == WindowOutcome::overlap);
    CHECK(outcome_of(w) == std::vector<std::string>{"parked", "real"});
    CHECK_FALSE(w.accepting(press + seconds(61)));  // nothing more is approved
}

TEST_CASE("the approved device asking again is still one device", "[pairing]") {
    PairingWindow w(PairingRules{});
    w.open(t0, seconds(120), {});
    w.on_request(t0, request("a1", "ka", t0));
    CHECK(with(w.on_tick(t0 + seconds(2)), PairingVerdict::approve) ==
          std::vector<std::string>{"a1"});
    CHECK(w.on_request(t0 + seconds(30), request("a2", "ka", t0 + seconds(30))).empty());
    CHECK(w.snapshot().outcome == WindowOutcome::approved);
    // A distinct key still withdraws the approved request, not the retry.
    const auto d = w.on_request(t0 + seconds(40), request("b", "kb", t0 + seconds(40)));
    CHECK(with(d, PairingVerdict::withdraw) == std::vector<std::string>{"a1"});
    CHECK(with(d, PairingVerdict::overlap) == std::vector<std::string>{"b"});
}

TEST_CASE("a press after an approval starts a new window for the next device", "[pairing]") {
    PairingWindow w(PairingRules{});
    w.open(t0, seconds(120), {});
    w.on_request(t0, request("a", "ka", t0));
    w.on_tick(t0 + seconds(2));
    // The owner presses again for a second device: "a" keeps its approval, "b" pairs alone.
    CHECK(w.open(t0 + seconds(20), seconds(120), {}).empty());
    CHECK(w.on_request(t0 + seconds(21), request("b", "kb", t0 + seconds(21))).empty());
    CHECK(with(w.on_tick(t0 + seconds(23)), PairingVerdict::approve) ==
          std::vector<std::string>{"b"});
}

TEST_CASE("closing the window while it watches keeps its approval", "[pairing]") {
    PairingWindow w(PairingRules{});
    w.open(t0, seconds(120), {});
    w.on_request(t0, request("a", "ka", t0));
    w.on_tick(t0 + seconds(2));
    w.withdraw(ParticipantId::device_request(
        "a"));  // the caller's bookkeeping cannot make the window forget its approval
    w.close();
    CHECK(w.snapshot().outcome == WindowOutcome::approved);
    CHECK(w.on_request(t0 + seconds(5), request("b", "kb", t0 + seconds(5))).empty());
}

TEST_CASE("a zero guard approves at once", "[pairing]") {
    PairingRules rules;
    rules.guard = seconds(0);
    PairingWindow w(rules);
    w.open(t0, seconds(120), {});
    CHECK(with(w.on_request(t0, request("a", "ka", t0)), PairingVerdict::approve) ==
          std::vector<std::string>{"a"});
}

TEST_CASE("two distinct devices are an overlap and nobody is approved", "[pairing]") {
    PairingWindow w(PairingRules{});
    w.open(t0, seconds(120), {});
    w.on_request(t0 + seconds(5), request("a", "ka", t0 + seconds(5)));
    SECTION("the second inside the guard") {
        const auto d = w.on_request(t0 + seconds(6), request("b", "kb", t0 + seconds(6)));
        CHECK(with(d, PairingVerdict::overlap) == std::vector<std::string>{"a", "b"});
        CHECK(with(d, PairingVerdict::approve).empty());
        CHECK(w.snapshot().outcome == WindowOutcome::overlap);
        CHECK_FALSE(w.accepting(t0 + seconds(7)));
    }
}

TEST_CASE("the same key asking twice is one device, not an overlap", "[pairing]") {
    PairingWindow w(PairingRules{});
    w.open(t0, seconds(120), {});
    w.on_request(t0, request("a1", "ka", t0));
    const auto d = w.on_request(t0 + seconds(1), request("a2", "ka", t0 + seconds(1)));
    CHECK(with(d, PairingVerdict::replaced) == std::vector<std::string>{"a1"});
    CHECK(with(w.on_tick(t0 + seconds(3)), PairingVerdict::approve) ==
          std::vector<std::string>{"a2"});
}

TEST_CASE("requests from before the press count within the lookback", "[pairing]") {
    PairingWindow w(PairingRules{});
    const TimePoint press = t0 + seconds(300);
    SECTION("pressed 60 s after the device: approved") {
        w.open(press, seconds(120), {request("a", "ka", press - seconds(60))});
        CHECK(with(w.on_tick(press + seconds(2)), PairingVerdict::approve) ==
              std::vector<std::string>{"a"});
    }
    SECTION("pressed 200 s after the device: too old, not counted") {
        w.open(press, seconds(120), {request("a", "ka", press - seconds(200))});
        CHECK(w.on_tick(press + seconds(2)).empty());
        CHECK(w.snapshot().candidates == 0);
    }
    SECTION("two earlier devices: overlap at once") {
        const auto d = w.open(
            press, seconds(120),
            {request("a", "ka", press - seconds(30)), request("b", "kb", press - seconds(20))});
        CHECK(with(d, PairingVerdict::overlap).size() == 2);
    }
}

TEST_CASE("requests outside an open window do not count", "[pairing]") {
    PairingWindow w(PairingRules{});
    CHECK(w.on_request(t0, request("a", "ka", t0)).empty());  // never opened
    w.open(t0, seconds(10), {});
    CHECK(w.on_tick(t0 + seconds(10)).empty());
    CHECK(w.snapshot().outcome == WindowOutcome::timed_out);
    CHECK(w.on_request(t0 + seconds(11), request("b", "kb", t0 + seconds(11))).empty());
    CHECK(w.snapshot().candidates == 0);
}

TEST_CASE("a lone request at the end of the window still waits out its guard", "[pairing]") {
    PairingWindow w(PairingRules{});
    w.open(t0, seconds(10), {});
    w.on_request(t0 + seconds(9), request("a", "ka", t0 + seconds(9)));
    CHECK(w.on_tick(t0 + seconds(10)).empty());
    // A second device after the window closed does not turn it into an overlap...
    CHECK(w.on_request(t0 + seconds(10), request("b", "kb", t0 + seconds(10))).empty());
    // ...and the lone one is approved when its guard ends.
    CHECK(with(w.on_tick(t0 + seconds(11)), PairingVerdict::approve) ==
          std::vector<std::string>{"a"});
}

TEST_CASE("pressing again extends the window; withdraw and close", "[pairing]") {
    PairingWindow w(PairingRules{});
    w.open(t0, seconds(10), {});
    w.open(t0 + seconds(5), seconds(60), {});
    CHECK(w.snapshot().closes_at == t0 + seconds(65));
    w.on_request(t0 + seconds(6), request("a", "ka", t0 + seconds(6)));
    w.withdraw(ParticipantId::device_request("a"));
    CHECK(w.on_tick(t0 + seconds(9)).empty());
    w.close();
    CHECK(w.snapshot().outcome == WindowOutcome::closed);
}

TEST_CASE("a device request and an ACME account are told apart by kind, not by id text",
          "[pairing]") {
    PairingWindow w(PairingRules{});
    w.open(t0, seconds(120), {});
    w.on_request(t0 + seconds(1), request("x", "k-device", t0 + seconds(1)));
    // The same id text as the request's, but an account: withdrawing it leaves the request.
    w.withdraw(ParticipantId::acme_account("x"));
    const auto d = w.on_tick(t0 + seconds(3));
    REQUIRE(d.size() == 1);
    CHECK(d[0].verdict == PairingVerdict::approve);
    CHECK(d[0].who == ParticipantId::device_request("x"));
    // An account asking later with another key is a second newcomer: an overlap that names it.
    const auto later = w.on_request(
        t0 + seconds(5), {ParticipantId::acme_account("x"), "k-account", t0 + seconds(5)});
    CHECK(with(later, PairingVerdict::withdraw) == std::vector<std::string>{"x"});
    CHECK(with(later, PairingVerdict::overlap) == std::vector<std::string>{"acme-account:x"});
    CHECK(outcome_of(w) == std::vector<std::string>{"x", "acme-account:x"});
}

TEST_CASE("unapproved requests expire after the request lifetime", "[pairing]") {
    const PairingWindow w(PairingRules{});
    CHECK_FALSE(w.request_expired(t0, t0 + seconds(599)));
    CHECK(w.request_expired(t0, t0 + seconds(600)));
}

}  // namespace
}  // namespace rca
