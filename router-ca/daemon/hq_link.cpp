#include "daemon/hq_link.hpp"

#include <botan/hex.h>

#include <algorithm>
#include <stdexcept>

#include "core/hq_schedule.hpp"
#include "core/time_text.hpp"
#include "daemon/log.hpp"
#include "files/atomic_file.hpp"

namespace rca {
namespace {

// 128 bits, the least HQ accepts (docs/hq.md "Token").
constexpr size_t kTokenBytes = 16;

bool is_token(const std::string& text) {
    return text.size() >= 2 * kTokenBytes && text.size() <= 128 &&
           text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Logged at the 1st, 2nd, 4th, 8th... failure in a row: a long outage shows in the log without
// filling it.
bool worth_logging(int failures) { return (failures & (failures - 1)) == 0; }

// The home remembered from the last registration, nullopt when none or unreadable (then the next
// registration writes it again).
std::optional<PublicHome> remembered_home(const std::string& path) {
    if (!files::exists(path)) return std::nullopt;
    try {
        const auto j = nlohmann::json::parse(files::read_file(path));
        auto parsed = parse_home_registration(nlohmann::json{
            {"home", j.at("home")},
            {"zone", j.at("zone")},
            {"credential", "remembered"}}.dump());
        if (parsed) return parsed.value().home;
    } catch (const std::exception&) {
    }
    log_line("ignoring " + path + ": not a remembered HQ home; the next registration rewrites it");
    return std::nullopt;
}

}  // namespace

std::string load_or_create_hq_token(const std::string& path, Botan::RandomNumberGenerator& rng) {
    if (files::exists(path)) {
        const std::string text = files::read_file(path);
        if (!is_token(text))
            throw std::runtime_error(path +
                                     " does not hold an HQ token (32 or more lowercase hex "
                                     "digits); remove it to register as a new home");
        return text;
    }
    const std::string token = Botan::hex_encode(rng.random_vec(kTokenBytes), false);
    const auto slash = path.rfind('/');
    if (slash != std::string::npos) files::make_dirs(path.substr(0, slash), 0700);
    files::write_atomic(path, token, 0600);
    return token;
}

HqLink::HqLink(const HqClient& client, const DataPaths& paths, Store& store,
               PublicHomeHolder& holder, Ipv4 router_address, const TimeSource& clock,
               Botan::RandomNumberGenerator& rng, std::function<void()> home_changed)
    : client_(client),
      relay_client_(client.with_timeout(kHqRelayTimeoutSeconds)),
      home_path_(paths.hq_home()),
      store_(store),
      holder_(holder),
      router_address_(router_address),
      clock_(clock),
      home_changed_(std::move(home_changed)) {
    try {
        token_ = load_or_create_hq_token(paths.hq_token(), rng);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("cannot keep the HQ token: ") + e.what());
    }
    if (auto home = remembered_home(home_path_)) {
        holder_.set(*home);
        if (home_changed_) home_changed_();
    }
}

HqLink::~HqLink() { stop(); }

void HqLink::add_duty(HqLinkDuty duty) { duties_.push_back(std::move(duty)); }

void HqLink::start() {
    thread_ = std::thread([this] { run(); });
}

void HqLink::stop() {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void HqLink::devices_changed() {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        records_dirty_ = true;
    }
    wake_.notify_all();
}

void HqLink::reregister_now(const std::string& why) {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (next_registration_ == TimePoint{}) return;  // already asked for
        log_line("HQ refused the home's registration (" + why + "); registering again");
        next_registration_ = TimePoint{};
        next_attempt_ = TimePoint{};
    }
    wake_.notify_all();
}

void HqLink::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        const TimePoint now = clock_.now();
        const bool healthy = failures_ == 0 && registration_;
        if (now >= next_attempt_ || (healthy && records_dirty_)) {
            lock.unlock();
            const auto error = attempt(now);
            lock.lock();
            if (error) {
                failed(*error, now);
            } else {
                if (failures_ > 0) log_line("HQ at " + client_.url() + " reached again");
                failures_ = 0;
                failing_since_.reset();
                last_error_.clear();
                next_attempt_ = std::min(next_registration_, next_duty_);
            }
            continue;
        }
        // The system clock may jump; waking at least once a minute keeps the schedule honest.
        const auto wait =
            std::min<std::chrono::nanoseconds>(next_attempt_ - now, std::chrono::minutes(1));
        wake_.wait_for(lock, wait, [this] {
            return stopping_ || next_attempt_ == TimePoint{} ||
                   (records_dirty_ && failures_ == 0 && registration_);
        });
    }
}

std::optional<std::string> HqLink::attempt(TimePoint now) {
    std::optional<HomeRegistration> registration;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (registration_ && now < next_registration_) registration = registration_;
    }
    if (!registration) {
        if (auto error = register_home()) return error;
        const std::lock_guard<std::mutex> lock(mutex_);
        registration = registration_;
        next_registration_ = now + kHqRegistrationInterval;
    }
    bool dirty = false;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        dirty = records_dirty_;
        records_dirty_ = false;
    }
    if (dirty) {
        // Withdrawals first: a label a revoked device held may be another device's by now (a
        // pairing approval taken back frees it), and the push after puts its record back.
        auto error = withdraw_revoked(*registration);
        if (!error) error = push_records(*registration);
        if (error) {
            const std::lock_guard<std::mutex> lock(mutex_);
            records_dirty_ = true;
            return error;
        }
    }
    if (now < next_duty_) return std::nullopt;
    // Without duties (or when none asks sooner) the next look is the next registration.
    TimePoint next = now + kHqRegistrationInterval;
    for (const auto& duty : duties_) {
        const auto when = duty(*registration);
        if (!when) return when.error();
        next = std::min(next, when.value());
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    next_duty_ = next;
    return std::nullopt;
}

std::optional<std::string> HqLink::register_home() {
    const auto answer = client_.register_home(token_, router_address_.to_string());
    if (!answer) return answer.error();
    if (answer.value().status != 200 && answer.value().status != 201)
        return "registering the home: " + hq_refusal(answer.value());
    auto parsed = parse_home_registration(answer.value().body);
    if (!parsed) return parsed.error().detail;
    const HomeRegistration& fresh = parsed.value();
    bool changed = false;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        changed = !registration_ || registration_->home.zone != fresh.home.zone;
        // Every registration reconciles the records: pushed again in full (idempotent PUTs,
        // a few per home), whatever HQ lost or a refused record missed meanwhile.
        published_.clear();
        records_dirty_ = true;
        if (changed) next_duty_ = TimePoint{};
        registration_ = fresh;
        registered_at_ = clock_.now();
    }
    if (changed) {
        log_line("registered the home at HQ " + client_.url() + ": " + fresh.home.zone +
                 " (router." + fresh.home.zone + " -> " + router_address_.to_string() + ")");
        const auto before = holder_.get();
        if (!before || before->zone != fresh.home.zone) {
            try {
                files::write_atomic(
                    home_path_,
                    nlohmann::json{{"home", fresh.home.home}, {"zone", fresh.home.zone}}.dump(),
                    0600);
            } catch (const std::exception& e) {
                log_line(std::string("cannot remember the HQ home: ") + e.what());
            }
            holder_.set(fresh.home);
            if (home_changed_) home_changed_();
        }
    }
    return std::nullopt;
}

std::optional<std::string> HqLink::push_records(const HomeRegistration& registration) {
    // HQ publishes only RFC 1918 addresses (docs/hq.md "Address"); the router's own record is
    // set by registration. A revoked device's record goes with withdraw_revoked.
    std::map<std::string, std::string> wanted;
    for (const auto& device : store_.devices()) {
        if (device.source == DeviceSource::router || device.revoked_at || !device.ipv4) continue;
        if (!is_rfc1918(*device.ipv4)) continue;
        wanted[device.name] = device.ipv4->to_string();
    }
    // A record HQ refuses (a 4xx for its label) is that record's failure: the others are still
    // pushed, and it is asked again at the next change or registration.
    for (const auto& [label, address] : wanted) {
        const auto failure = put_record(client_, registration, label, address);
        if (!failure) continue;
        if (failure->link_failed) return failure->error;
        log_line("HQ: " + failure->error +
                 "; asking again at the next device change or "
                 "registration");
    }
    return std::nullopt;
}

std::optional<std::string> HqLink::withdraw_revoked(const HomeRegistration& registration) {
    for (const auto& w : store_.withdrawals_due()) {
        const auto answer = client_.withdraw_name(registration.home.home, registration.credential,
                                                  w.name, to_string(w.reason));
        if (!answer) return answer.error();
        const int status = answer.value().status;
        if (status == 404) {
            // An HQ without withdrawals (older than the router), or one that lost the home: not
            // done, asked again at the next device change or registration; the rest goes on.
            log_line("HQ: withdrawing " + w.name + ": " + hq_refusal(answer.value()) +
                     "; asking again at the next device change");
            continue;
        }
        // 400: HQ does not take this label, so it holds nothing under it. Any other refusal
        // (401/403: the home's credential; 5xx) is the link's failure, retried with its backoff.
        if (status != 200 && status != 400)
            return "withdrawing " + w.name + ": " + hq_refusal(answer.value());
        if (status == 200)
            log_line("withdrew " + w.name + " at HQ (revoked, reason " + to_string(w.reason) +
                     "): its public name is gone and its public certificates are being revoked");
        else
            log_line("HQ: withdrawing " + w.name + ": " + hq_refusal(answer.value()) +
                     "; it holds nothing under that name");
        store_.mark_withdrawn(w.device_id, w.revoked_at);
        const std::lock_guard<std::mutex> lock(mutex_);
        published_.erase(w.name);
    }
    return std::nullopt;
}

std::optional<HqLink::RecordFailure> HqLink::put_record(const HqClient& client,
                                                        const HomeRegistration& registration,
                                                        const std::string& label,
                                                        const std::string& address) {
    // One PUT per label at a time (the link's thread and HTTPS workers both set records), so
    // published_ ends up with the address of the PUT HQ answered last.
    std::shared_ptr<std::mutex> label_lock;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        auto& slot = label_locks_[label];
        if (!slot) slot = std::make_shared<std::mutex>();
        label_lock = slot;
    }
    const std::lock_guard<std::mutex> one_at_a_time(*label_lock);
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        const auto it = published_.find(label);
        if (it != published_.end() && it->second == address) return std::nullopt;
    }
    const auto answer =
        client.put_record(registration.home.home, registration.credential, label, address);
    if (!answer) return RecordFailure{answer.error(), true};
    const int status = answer.value().status;
    if (status != 200)
        return RecordFailure{"setting the record " + label + ": " + hq_refusal(answer.value()),
                             status < 400 || status > 499 || status == 401 || status == 403};
    const std::lock_guard<std::mutex> lock(mutex_);
    published_[label] = address;
    return std::nullopt;
}

std::optional<std::string> HqLink::put_record_now(const std::string& label, Ipv4 address) {
    const auto registered = registration();
    if (!registered) return registered.error();
    const auto failure = put_record(relay_client_, registered.value(), label, address.to_string());
    if (failure) return failure->error;
    return std::nullopt;
}

void HqLink::relay_failed(const std::string& error) {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        failed("relaying a device's request: " + error, clock_.now());
    }
    wake_.notify_all();  // the link's thread sleeps until its (now earlier) next attempt
}

void HqLink::failed(const std::string& error, TimePoint now) {
    ++failures_;
    if (!failing_since_) failing_since_ = now;
    last_error_ = error;
    next_attempt_ = now + hq_retry_delay(failures_);
    next_registration_ = now;  // the next attempt starts by registering again
    if (worth_logging(failures_))
        log_line("HQ: " + error + " (failure " + std::to_string(failures_) +
                 " in a row; next attempt at " + iso8601(next_attempt_) + ")");
}

BasicResult<HomeRegistration, std::string> HqLink::registration() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (registration_ && failures_ == 0) return *registration_;
    if (registration_)
        return "HQ at " + client_.url() + " has been failing since " + iso8601(*failing_since_) +
               ": " + last_error_ + " (the router tries again at " + iso8601(next_attempt_) + ")";
    if (!last_error_.empty())
        return "the router has not reached HQ at " + client_.url() + " yet: " + last_error_ +
               " (next attempt at " + iso8601(next_attempt_) + ")";
    return "the router is registering its home at HQ " + client_.url() + "; try again shortly";
}

nlohmann::json HqLink::status_json() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    nlohmann::json j = {{"hq", client_.url()}};
    if (registration_) {
        j["state"] = failures_ == 0 ? "registered" : "unreachable";
        j["home"] = registration_->home.home;
        j["zone"] = registration_->home.zone;
        j["router_name"] = public_name(registration_->home, "router");
        j["registered_at"] = iso8601(*registered_at_);
    } else {
        j["state"] = failures_ == 0 ? "connecting" : "unreachable";
        // Remembered from before the last restart: still answered and served meanwhile.
        if (const auto home = holder_.get()) {
            j["home"] = home->home;
            j["zone"] = home->zone;
            j["router_name"] = public_name(*home, "router");
        }
    }
    if (failures_ > 0) {
        j["error"] = last_error_;
        j["unreachable_since"] = iso8601(*failing_since_);
        j["next_attempt"] = iso8601(next_attempt_);
    }
    return j;
}

}  // namespace rca
