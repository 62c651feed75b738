#include "denrol/enrolment_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "files/atomic_file.hpp"

namespace denrol {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Bumped when a field changes meaning; an older binary then refuses the file instead of
// misreading it.
constexpr int kStateVersion = 1;

constexpr const char* kStaging = ".staging";
constexpr const char* kReady = ".ready";
constexpr const char* kLock = ".lock";

// The files of both bundles in the order they move into place (key first).
constexpr const char* kBundleFiles[] = {EnrolmentDir::kKey,        EnrolmentDir::kCert,
                                        EnrolmentDir::kChain,      EnrolmentDir::kRoot,
                                        EnrolmentDir::kState,      EnrolmentDir::kPublicKey,
                                        EnrolmentDir::kPublicCert, EnrolmentDir::kPublicChain};

// What an installed key supersedes: the pending request it answers.
struct Supersedes {
    const char* installed;
    const char* pending;
};
constexpr Supersedes kSuperseded[] = {
    {EnrolmentDir::kKey, EnrolmentDir::kRenewalKey},
    {EnrolmentDir::kPublicKey, EnrolmentDir::kPublicOrderKey},
    {EnrolmentDir::kPublicKey, EnrolmentDir::kPublicOrder},
};

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// An exclusive flock on DIR/.lock for the lifetime of the object.
class DirLock {
  public:
    explicit DirLock(const std::string& dir) {
        const std::string path = dir + "/" + kLock;
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) throw_errno("cannot open " + path);
        while (::flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) throw_errno("cannot lock " + path);
        }
    }
    ~DirLock() { ::close(fd_); }
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;

  private:
    int fd_ = -1;
};

void rename_or_throw(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) throw_errno("cannot rename " + from + " to " + to);
}

// Step 3: idempotent, so a crash in the middle of it is finished by the next recover().
void roll_forward(const std::string& dir) {
    const std::string ready = dir + "/" + kReady;
    // The request a pending key was kept for is installed now (or a new pairing replaced it).
    // Removed before any file moves, while .ready still shows which bundle this is, so that a
    // crash anywhere below still ends with it removed.
    for (const auto& s : kSuperseded) {
        if (!rca::files::exists(ready + "/" + s.installed)) continue;
        const std::string pending = dir + "/" + s.pending;
        if (::unlink(pending.c_str()) != 0 && errno != ENOENT)
            throw_errno("cannot remove " + pending);
    }
    rca::files::sync_dir(dir);
    for (const char* name : kBundleFiles) {
        const std::string from = ready + "/" + name;
        if (rca::files::exists(from)) rename_or_throw(from, dir + "/" + name);
    }
    rca::files::sync_dir(dir);
    fs::remove_all(ready);
    rca::files::sync_dir(dir);
}

Recovery recover_locked(const std::string& dir) {
    Recovery done = Recovery::clean;
    // A process killed inside write_atomic (renewal-key.pem, state.json) leaves its temporary,
    // half a key perhaps; under the lock no write into DIR is running.
    if (rca::files::remove_temporaries(dir) > 0) done = Recovery::discarded;
    if (rca::files::exists(dir + "/" + kReady)) {
        roll_forward(dir);
        done = Recovery::rolled_forward;
    }
    if (rca::files::exists(dir + "/" + kStaging)) {
        fs::remove_all(dir + "/" + kStaging);
        rca::files::sync_dir(dir);
        if (done == Recovery::clean) done = Recovery::discarded;
    }
    return done;
}

struct StagedFile {
    const char* name;
    const std::string& content;
    mode_t mode;
};

// Steps 1 to 3 for `files`, under the directory's lock.
void install_files(const std::string& dir, const std::vector<StagedFile>& files) {
    // 0700: the directory holds private keys.
    rca::files::make_dirs(dir, 0700);
    const DirLock lock(dir);
    recover_locked(dir);

    const std::string staging = dir + "/" + kStaging;
    if (::mkdir(staging.c_str(), 0700) != 0) throw_errno("cannot create " + staging);
    for (const auto& f : files) rca::files::write_atomic(staging + "/" + f.name, f.content, f.mode);
    rca::files::sync_dir(staging);

    rename_or_throw(staging, dir + "/" + kReady);  // the commit point
    rca::files::sync_dir(dir);
    roll_forward(dir);
}

bool get_text(const json& j, const char* key, std::string& out, std::string& error) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) {
        error = std::string("field \"") + key + "\" is missing or not a string";
        return false;
    }
    out = it->get<std::string>();
    return true;
}

bool get_time(const json& j, const char* key, TimePoint& out, std::string& error) {
    std::string text;
    if (!get_text(j, key, text, error)) return false;
    const auto t = parse_utc(text);
    if (!t) {
        error = std::string("field \"") + key + "\" is not a UTC time like 2025-01-31T12:00:00Z";
        return false;
    }
    out = *t;
    return true;
}

}  // namespace

std::string state_to_json(const DeviceState& s) {
    json j = {{"version", kStateVersion},
              {"router", s.router_url},
              {"name", s.name},
              {"fqdn", s.fqdn},
              {"root_sha256", s.root_sha256},
              {"serial", s.serial},
              {"not_before", format_utc(s.not_before)},
              {"not_after", format_utc(s.not_after)},
              {"last_renewal", format_utc(s.last_renewal)},
              {"key_type", key_type_name(s.key_type)}};
    // Optional, and absent from files written before address updates existed (same version:
    // older binaries ignore it).
    if (!s.reported_ipv4.empty()) j["reported_ipv4"] = s.reported_ipv4;
    // Likewise optional: only a router with a home at HQ offers a public name.
    if (!s.public_name.empty()) j["public_name"] = s.public_name;
    return j.dump(2) + "\n";
}

Result<DeviceState> state_from_json(const std::string& text) {
    const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object())
        return fail(Errc::local, "state.json is not a JSON object");
    const auto version = j.find("version");
    if (version == j.end() || !version->is_number_integer() || version->get<int>() != kStateVersion)
        return fail(Errc::local,
                    "state.json has an unsupported version (this binary reads version " +
                        std::to_string(kStateVersion) + ")");
    DeviceState s;
    std::string key_type;
    std::string error;
    if (!get_text(j, "router", s.router_url, error) || !get_text(j, "name", s.name, error) ||
        !get_text(j, "fqdn", s.fqdn, error) || !get_text(j, "root_sha256", s.root_sha256, error) ||
        !get_text(j, "serial", s.serial, error) ||
        !get_time(j, "not_before", s.not_before, error) ||
        !get_time(j, "not_after", s.not_after, error) ||
        !get_time(j, "last_renewal", s.last_renewal, error) ||
        !get_text(j, "key_type", key_type, error))
        return fail(Errc::local, "state.json is corrupt: " + error);
    const auto type = parse_key_type(key_type);
    if (!type)
        return fail(Errc::local, "state.json is corrupt: unknown key_type \"" + key_type + "\"");
    s.key_type = *type;
    if (const auto reported = j.find("reported_ipv4"); reported != j.end()) {
        if (!reported->is_string())
            return fail(Errc::local,
                        "state.json is corrupt: field \"reported_ipv4\" is not a string");
        s.reported_ipv4 = reported->get<std::string>();
    }
    if (const auto public_name = j.find("public_name"); public_name != j.end()) {
        if (!public_name->is_string())
            return fail(Errc::local,
                        "state.json is corrupt: field \"public_name\" is not a string");
        s.public_name = public_name->get<std::string>();
    }
    return s;
}

EnrolmentDir::EnrolmentDir(std::string path) : path_(std::move(path)) {
    while (path_.size() > 1 && path_.back() == '/') path_.pop_back();
}

Result<Recovery> EnrolmentDir::recover() const {
    // Checked before locking, so that `status` works on a directory it may read but not write;
    // recover_locked checks again under the lock.
    if (!install_pending()) return Recovery::clean;
    try {
        const DirLock lock(path_);
        return recover_locked(path_);
    } catch (const std::exception& e) {
        return fail(Errc::local, std::string("cannot recover an interrupted install: ") + e.what());
    }
}

Result<Done> EnrolmentDir::install(const Bundle& b) const {
    try {
        const std::string state_text = state_to_json(b.state);
        install_files(path_, {{kKey, b.key_pem, 0600},
                              {kCert, b.cert_pem, 0644},
                              {kChain, b.chain_pem, 0644},
                              {kRoot, b.root_pem, 0644},
                              {kState, state_text, 0644}});
        return Done{};
    } catch (const std::exception& e) {
        return fail(Errc::local, "cannot install the certificate in " + path_ + ": " + e.what());
    }
}

Result<Done> EnrolmentDir::install_public(const PublicBundle& b) const {
    try {
        install_files(path_, {{kPublicKey, b.key_pem, 0600},
                              {kPublicCert, b.cert_pem, 0644},
                              {kPublicChain, b.chain_pem, 0644}});
        return Done{};
    } catch (const std::exception& e) {
        return fail(Errc::local,
                    "cannot install the public certificate in " + path_ + ": " + e.what());
    }
}

Result<DeviceState> EnrolmentDir::load_state() const {
    if (!has(kState))
        return fail(Errc::local, "no enrolment in " + path_ +
                                     " (state.json is missing); run `device-enrol pair` first");
    auto text = read(kState);
    if (!text) return text.error();
    auto state = state_from_json(text.value());
    if (!state)
        return fail(Errc::local,
                    file(kState) + ": " + state.error().detail + "; pair again to replace it");
    return state;
}

Result<DeviceState> EnrolmentDir::update_state(
    const std::function<void(DeviceState&)>& change) const {
    try {
        const DirLock lock(path_);
        recover_locked(path_);
        auto state = load_state();
        if (!state) return state.error();
        DeviceState next = state.value();
        change(next);
        rca::files::write_atomic(file(kState), state_to_json(next), 0644);
        return next;
    } catch (const std::exception& e) {
        return fail(Errc::local, "cannot update " + file(kState) + ": " + e.what());
    }
}

Result<Done> EnrolmentDir::keep_pending(const char* name, const std::string& text) const {
    try {
        rca::files::make_dirs(path_, 0700);
        const DirLock lock(path_);
        rca::files::write_atomic(file(name), text, 0600);
        return Done{};
    } catch (const std::exception& e) {
        return fail(Errc::local, "cannot keep " + file(name) + ": " + e.what());
    }
}

Result<Done> EnrolmentDir::forget(const char* name) const {
    try {
        const DirLock lock(path_);
        if (::unlink(file(name).c_str()) != 0 && errno != ENOENT)
            throw_errno("cannot remove " + file(name));
        rca::files::sync_dir(path_);
        return Done{};
    } catch (const std::exception& e) {
        return fail(Errc::local, e.what());
    }
}

Result<Done> EnrolmentDir::update_file(
    const char* name,
    const std::function<Result<std::string>(const std::string& current)>& change) const {
    try {
        rca::files::make_dirs(path_, 0700);
        const DirLock lock(path_);
        const std::string current = has(name) ? rca::files::read_file(file(name)) : "";
        auto next = change(current);
        if (!next) return next.error();
        rca::files::write_atomic(file(name), next.value(), 0644);
        return Done{};
    } catch (const std::exception& e) {
        return fail(Errc::local, "cannot update " + file(name) + ": " + e.what());
    }
}

Result<std::string> EnrolmentDir::read(const char* name) const {
    try {
        return rca::files::read_file(file(name));
    } catch (const std::exception& e) {
        return fail(Errc::local, e.what());
    }
}

bool EnrolmentDir::has(const char* name) const { return rca::files::exists(file(name)); }

bool EnrolmentDir::install_pending() const {
    return rca::files::exists(file(kStaging)) || rca::files::exists(file(kReady));
}

}  // namespace denrol
