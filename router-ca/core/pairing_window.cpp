#include "core/pairing_window.hpp"

#include <algorithm>

namespace rca {

const char* to_string(WindowOutcome outcome) {
    switch (outcome) {
        case WindowOutcome::never_opened:
            return "never-opened";
        case WindowOutcome::open:
            return "open";
        case WindowOutcome::approved:
            return "approved";
        case WindowOutcome::overlap:
            return "overlap";
        case WindowOutcome::timed_out:
            return "timed-out";
        case WindowOutcome::closed:
            return "closed";
    }
    return "unknown";
}

std::string to_string(const ParticipantId& participant) {
    switch (participant.kind) {
        case ParticipantKind::device_request:
            return participant.id;
        case ParticipantKind::acme_account:
            return "acme-account:" + participant.id;
    }
    return participant.id;
}

PairingWindow::PairingWindow(PairingRules rules) : rules_(rules) {}

std::vector<PairingDecision> PairingWindow::open(TimePoint now, std::chrono::seconds duration,
                                                 const std::vector<PairingCandidate>& pending) {
    // A press while the window watches after an approval is the owner pairing the next device:
    // the approval stands and a new window starts. Only the owner can press, so this gives an
    // attacker nothing; without it, pairing two devices a minute apart would be an overlap.
    if (open_ && approved_) finish(WindowOutcome::approved, outcome_requests_);
    if (open_) {
        closes_at_ = std::max(closes_at_, now + duration);
        return decide(now);
    }
    open_ = true;
    opened_at_ = now;
    closes_at_ = now + duration;
    candidates_.clear();
    approved_.reset();
    outcome_ = WindowOutcome::open;
    outcome_requests_.clear();
    std::vector<PairingDecision> decisions;
    std::vector<PairingCandidate> recent;
    for (const auto& c : pending)
        if (c.received_at <= now && now - c.received_at <= rules_.lookback) recent.push_back(c);
    // Oldest first, so that a key's newest request is the one that stays.
    std::sort(recent.begin(), recent.end(),
              [](const auto& a, const auto& b) { return a.received_at < b.received_at; });
    for (const auto& c : recent) {
        auto d = add(now, c);
        decisions.insert(decisions.end(), d.begin(), d.end());
    }
    auto d = decide(now);
    decisions.insert(decisions.end(), d.begin(), d.end());
    return decisions;
}

std::vector<PairingDecision> PairingWindow::on_request(TimePoint now,
                                                       const PairingCandidate& candidate) {
    if (!accepting(now)) return {};
    auto decisions = add(now, candidate);
    auto d = decide(now);
    decisions.insert(decisions.end(), d.begin(), d.end());
    return decisions;
}

std::vector<PairingDecision> PairingWindow::on_tick(TimePoint now) { return decide(now); }

void PairingWindow::withdraw(const ParticipantId& who) {
    // Withdrawing can only shrink one candidate to none: two would already be an overlap.
    if (approved_ == who) return;
    candidates_.erase(std::remove_if(candidates_.begin(), candidates_.end(),
                                     [&](const auto& c) { return c.who == who; }),
                      candidates_.end());
}

void PairingWindow::close() {
    if (!open_) return;
    if (approved_)
        finish(WindowOutcome::approved, outcome_requests_);
    else
        finish(WindowOutcome::closed, {});
}

std::optional<TimePoint> PairingWindow::next_deadline() const {
    if (!open_) return std::nullopt;
    if (candidates_.size() == 1 && !approved_) return alone_since_ + rules_.guard;
    return closes_at_;
}

PairingSnapshot PairingWindow::snapshot() const {
    return PairingSnapshot{open_,    opened_at_,       closes_at_, candidates_.size(),
                           outcome_, outcome_requests_};
}

bool PairingWindow::request_expired(TimePoint received, TimePoint now) const {
    return now - received >= rules_.request_lifetime;
}

std::vector<PairingDecision> PairingWindow::add(TimePoint now, const PairingCandidate& candidate) {
    std::vector<PairingDecision> decisions;
    const auto same_key = std::find_if(candidates_.begin(), candidates_.end(),
                                       [&](const auto& c) { return c.key_id == candidate.key_id; });
    if (same_key != candidates_.end()) {
        // The same device asking again (a retry) is still one device, not an overlap. The device
        // the window approved keeps its entry: its key is what a later asker is compared with.
        if (same_key->who == approved_) return decisions;
        if (same_key->who != candidate.who)
            decisions.push_back({PairingVerdict::replaced, same_key->who});
        *same_key = candidate;
        return decisions;
    }
    candidates_.push_back(candidate);
    if (candidates_.size() == 1) alone_since_ = now;
    return decisions;
}

std::vector<PairingDecision> PairingWindow::decide(TimePoint now) {
    if (!open_) return {};
    std::vector<PairingDecision> decisions;
    if (candidates_.size() >= 2) {
        // Whatever this window approved is withdrawn: the other device may be the real one.
        std::vector<ParticipantId> ids;
        for (const auto& c : candidates_) {
            decisions.push_back(
                {c.who == approved_ ? PairingVerdict::withdraw : PairingVerdict::overlap, c.who});
            ids.push_back(c.who);
        }
        finish(WindowOutcome::overlap, ids);
    } else if (candidates_.size() == 1 && !approved_ && now >= alone_since_ + rules_.guard) {
        approved_ = candidates_.front().who;
        decisions.push_back({PairingVerdict::approve, *approved_});
        outcome_ = WindowOutcome::approved;
        outcome_requests_ = {*approved_};
        // Watching goes on until the window closes (see the header).
        if (now >= closes_at_) finish(WindowOutcome::approved, outcome_requests_);
    } else if (now >= closes_at_ && (approved_ || candidates_.empty())) {
        if (approved_)
            finish(WindowOutcome::approved, outcome_requests_);
        else
            finish(WindowOutcome::timed_out, {});
    }
    return decisions;
}

void PairingWindow::finish(WindowOutcome outcome, std::vector<ParticipantId> requests) {
    open_ = false;
    candidates_.clear();
    outcome_ = outcome;
    outcome_requests_ = std::move(requests);
}

}  // namespace rca
