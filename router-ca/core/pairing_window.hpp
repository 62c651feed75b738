#pragma once
// The pairing window, modelled on WPS push-button configuration (Wi-Fi Simple Configuration 2.0,
// section 11.3 "Push Button Configuration" and its "session overlap" rule): the admin presses the
// router's button; exactly one device asking in the window is approved; two or more distinct
// devices asking is an overlap, and then nobody is approved automatically.
//
// Stricter than WPS, because a certificate can be taken back: the window keeps watching for its
// whole length after it approved. A second distinct device asking later in the window (or that
// asked within the lookback before it) is an overlap too, and what the window approved is
// withdrawn (revoked). So a request parked before the press, which is then the lone asker, cannot
// win silently: the real device's request, asking afterwards, turns the win into a visible overlap.
//
// Pure state machine: time comes in as arguments, decisions go out as values; the caller applies
// them to the store.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace rca {

/// The timing rules of pairing.
struct PairingRules {
    /// 120 s, the WPS walk time: long enough to walk from the router to the device.
    std::chrono::seconds window{120};
    /// After a lone request, wait this long for a second one before approving, so that an
    /// attacker's request racing the real device turns into an overlap rather than a win.
    std::chrono::seconds guard{2};
    /// A device pressed first and the router second still pairs: requests pending this long
    /// before the window opened count (the WPS walk time again).
    std::chrono::seconds lookback{120};
    /// Unapproved requests are dropped after this; the device must ask again.
    std::chrono::seconds request_lifetime{600};
};

/// Who asks to pair. One button press approves one newcomer, whichever way it asks (issue 15): a
/// device's enrolment request and an ACME account take part in the same windows.
enum class ParticipantKind { device_request, acme_account };

/// A participant of a pairing window: its kind, and its id among those of that kind (a request
/// id, an account id). Typed, so that a decision finds its way back without parsing the id.
struct ParticipantId {
    ParticipantKind kind = ParticipantKind::device_request;
    std::string id;

    /// A device's enrolment request.
    static ParticipantId device_request(std::string request_id) {
        return {ParticipantKind::device_request, std::move(request_id)};
    }
    /// An ACME account waiting for the pairing gate.
    static ParticipantId acme_account(std::string account_id) {
        return {ParticipantKind::acme_account, std::move(account_id)};
    }
    bool operator==(const ParticipantId& other) const {
        return kind == other.kind && id == other.id;
    }
    bool operator!=(const ParticipantId& other) const { return !(*this == other); }
};

/// Text form of a participant for people and the status JSON: a request's id as it is, an
/// account's as "acme-account:<id>" (what the status API has always shown).
std::string to_string(const ParticipantId& participant);

/// A pending request as the window sees it.
struct PairingCandidate {
    ParticipantId who;
    std::string key_id;  ///< requests are distinct when their public keys are
    TimePoint received_at{};
};

/// What the caller must do with a request.
enum class PairingVerdict {
    approve,   ///< sign it now
    overlap,   ///< mark it overlap: two or more devices asked at once
    replaced,  ///< the same key asked again; the older request is superseded (mark expired)
    withdraw,  ///< it was approved in this window, then another device asked: revoke what was
               ///< issued for it, free its name, and mark it overlap
};

/// One decision about one request.
struct PairingDecision {
    PairingVerdict verdict;
    ParticipantId who;
};

/// How the latest window ended (or that it is still open).
enum class WindowOutcome { never_opened, open, approved, overlap, timed_out, closed };

/// The window's state, for the status API and the UI.
struct PairingSnapshot {
    bool open = false;  ///< accepting requests (also while watching after an approval)
    TimePoint opened_at{};
    TimePoint closes_at{};
    size_t candidates = 0;
    WindowOutcome outcome = WindowOutcome::never_opened;
    std::vector<ParticipantId> outcome_requests;  ///< the approved one, or the overlapping ones
};

/// Text form of an outcome.
const char* to_string(WindowOutcome outcome);

class PairingWindow {
  public:
    /// A closed window that follows `rules`.
    explicit PairingWindow(PairingRules rules);

    /// Opens the window for `duration` (a second press while open extends it; after the window
    /// approved a device, a press starts a new window, the approval standing). `pending` are all
    /// pending requests; those received within the lookback count as if they had just arrived.
    std::vector<PairingDecision> open(TimePoint now, std::chrono::seconds duration,
                                      const std::vector<PairingCandidate>& pending);
    /// A request arrived; it counts only while the window accepts requests.
    std::vector<PairingDecision> on_request(TimePoint now, const PairingCandidate& candidate);
    /// Time passed: the guard may have elapsed, or the window may have ended.
    std::vector<PairingDecision> on_tick(TimePoint now);
    /// The request is no longer pending (denied or expired by the caller); forget it. A request
    /// the window approved stays remembered: its key still makes a later asker an overlap.
    void withdraw(const ParticipantId& who);
    /// Closes the window without a decision (admin cancelled).
    void close();

    /// The next moment on_tick would decide something, if any.
    std::optional<TimePoint> next_deadline() const;
    /// True when a request would be counted at `now`.
    bool accepting(TimePoint now) const { return open_ && now < closes_at_; }
    /// The state for display.
    PairingSnapshot snapshot() const;
    /// True when a request received at `received` has outlived the request lifetime at `now`.
    bool request_expired(TimePoint received, TimePoint now) const;
    /// The rules in force.
    const PairingRules& rules() const { return rules_; }

  private:
    std::vector<PairingDecision> add(TimePoint now, const PairingCandidate& candidate);
    std::vector<PairingDecision> decide(TimePoint now);
    void finish(WindowOutcome outcome, std::vector<ParticipantId> requests);

    PairingRules rules_;
    bool open_ = false;
    TimePoint opened_at_{};
    TimePoint closes_at_{};
    TimePoint alone_since_{};                   ///< when the candidate set last became exactly one
    std::vector<PairingCandidate> candidates_;  ///< one per distinct key
    std::optional<ParticipantId> approved_;     ///< the request this window approved, if any
    WindowOutcome outcome_ = WindowOutcome::never_opened;
    std::vector<ParticipantId> outcome_requests_;
};

}  // namespace rca
