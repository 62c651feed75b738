#include "admin/login_rate_limiter.hpp"

namespace rca::admin {

LoginRateLimiter::LoginRateLimiter(RateLimit limit) : limit_(limit) {}

void LoginRateLimiter::prune(std::deque<TimePoint>& failures, TimePoint now) const {
    while (!failures.empty() && now - failures.front() >= limit_.window) failures.pop_front();
}

std::optional<std::chrono::seconds> LoginRateLimiter::wait_locked(std::deque<TimePoint>& failures,
                                                                  TimePoint now) const {
    prune(failures, now);
    if (failures.size() < limit_.max_failures) return std::nullopt;
    // The client may try again when its oldest counted failure leaves the window; Retry-After
    // is in whole seconds (RFC 9110 10.2.3), rounded up so that a retry is never early.
    const auto left = failures.front() + limit_.window - now;
    const auto secs = std::chrono::ceil<std::chrono::seconds>(left);
    return std::max(secs, std::chrono::seconds(1));
}

std::optional<std::chrono::seconds> LoginRateLimiter::refused_for(const std::string& client,
                                                                  TimePoint now) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = failures_.find(client);
    if (it == failures_.end()) return std::nullopt;
    return wait_locked(it->second, now);
}

std::optional<std::chrono::seconds> LoginRateLimiter::count_attempt(const std::string& client,
                                                                    TimePoint now) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (failures_.find(client) == failures_.end() && failures_.size() >= limit_.max_clients)
        make_room(now);
    auto& list = failures_[client];
    if (const auto wait = wait_locked(list, now)) return wait;
    // wait_locked refuses at max_failures, so the list never holds more than the limit.
    list.push_back(now);
    return std::nullopt;
}

// Drops the clients whose failures have all left the window, and if that is not enough, the one
// whose newest failure is oldest: memory stays bounded however many addresses an attacker uses.
void LoginRateLimiter::make_room(TimePoint now) {
    for (auto it = failures_.begin(); it != failures_.end();) {
        prune(it->second, now);
        it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() < limit_.max_clients) return;
    auto stalest = failures_.begin();
    for (auto it = failures_.begin(); it != failures_.end(); ++it)
        if (it->second.back() < stalest->second.back()) stalest = it;
    failures_.erase(stalest);
}

void LoginRateLimiter::record_success(const std::string& client) {
    const std::lock_guard<std::mutex> lock(mutex_);
    failures_.erase(client);
}

}  // namespace rca::admin
