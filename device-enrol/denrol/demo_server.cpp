#include "denrol/demo_server.hpp"

#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include <httplib.h>

#include <openssl/ssl.h>

#include "common/markup_escape.hpp"
#include "denrol/enrolment_dir.hpp"
#include "denrol/time_text.hpp"

namespace denrol {
namespace {

namespace fs = std::filesystem;

// A demo page needs little: bound the work any one client can cause (architecture brief: httplib
// is thread-per-connection with unlimited bodies by default).
constexpr size_t kThreads = 4;
constexpr size_t kMaxRequestBody = 4096;
constexpr time_t kIoTimeoutSeconds = 5;

// Modification times of the files a reload depends on; any change means a new install.
using Stamp = std::vector<fs::file_time_type>;

Stamp stamp_of(const EnrolmentDir& dir) {
    Stamp s;
    for (const char* name : {EnrolmentDir::kChain, EnrolmentDir::kKey, EnrolmentDir::kState}) {
        std::error_code ec;
        s.push_back(fs::last_write_time(dir.file(name), ec));
    }
    return s;
}

std::string page_for(const DeviceState& s) {
    const auto row = [](const char* key, const std::string& value) {
        return std::string("<tr><th>") + key + "</th><td>" + rca::markup_escape(value) +
               "</td></tr>\n";
    };
    return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" +
           rca::markup_escape(s.name) + "</title></head>\n<body><h1>" + rca::markup_escape(s.fqdn) +
           "</h1>\n<p>Served by device-enrol with a certificate from the home router's CA.</p>\n"
           "<table>\n" +
           row("name", s.name) + row("fqdn", s.fqdn) + row("serial", s.serial) +
           row("valid from", format_utc(s.not_before)) + row("expires", format_utc(s.not_after)) +
           row("router", s.router_url) + "</table></body></html>\n";
}

struct Loaded {
    std::unique_ptr<httplib::SSLServer> server;
    Stamp stamp;
    DeviceState state;
};

// Builds a server from the files on disk, refusing a key that does not match the certificate so
// that a half-finished install never replaces a working server.
Result<Loaded> load(const EnrolmentDir& dir) {
    if (dir.install_pending()) return fail(Errc::local, "an install is in progress");
    Loaded l;
    l.stamp = stamp_of(dir);
    auto state = dir.load_state();
    if (!state) return state.error();
    l.state = state.value();
    const std::string chain = dir.file(EnrolmentDir::kChain);
    const std::string key = dir.file(EnrolmentDir::kKey);
    l.server = std::make_unique<httplib::SSLServer>(chain.c_str(), key.c_str());
    if (!l.server->is_valid() || SSL_CTX_check_private_key(l.server->ssl_context()) != 1)
        return fail(Errc::local, "cannot load " + chain + " with " + key);

    const std::string page = page_for(l.state);
    l.server->Get("/", [page](const httplib::Request&, httplib::Response& res) {
        res.set_content(page, "text/html; charset=utf-8");
    });
    l.server->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
    l.server->set_payload_max_length(kMaxRequestBody);
    l.server->set_read_timeout(kIoTimeoutSeconds, 0);
    l.server->set_write_timeout(kIoTimeoutSeconds, 0);
    l.server->set_keep_alive_timeout(kIoTimeoutSeconds);
    return l;
}

// One listening server and its thread.
class Running {
  public:
    Running(Loaded loaded, const Endpoint& listen) : loaded_(std::move(loaded)) {
        if (!loaded_.server->bind_to_port(listen.host.c_str(), listen.port)) return;
        bound_ = true;
        thread_ = std::thread([this] { loaded_.server->listen_after_bind(); });
        // stop() is a no-op until the loop runs; wait so that a quick stop cannot be lost.
        for (int i = 0; i < 200 && !loaded_.server->is_running(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ~Running() {
        if (!bound_) return;
        loaded_.server->stop();
        thread_.join();
    }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

    bool bound() const { return bound_; }
    const Loaded& loaded() const { return loaded_; }

  private:
    Loaded loaded_;
    bool bound_ = false;
    std::thread thread_;
};

}  // namespace

Result<Done> serve_demo(const DemoOptions& o, const std::atomic<bool>& stop, const Log& log) {
    const EnrolmentDir dir(o.out_dir);
    if (auto recovered = dir.recover(); !recovered) return recovered.error();
    auto first = load(dir);
    if (!first) return first.error();
    const std::string where = o.listen.host + ":" + std::to_string(o.listen.port);
    auto running = std::make_unique<Running>(std::move(first.value()), o.listen);
    if (!running->bound()) return fail(Errc::local, "cannot listen on " + where);
    log("serving https://" + running->loaded().state.fqdn + ":" + std::to_string(o.listen.port) +
        "/ on " + where + " (certificate " + running->loaded().state.serial + ")");

    Stamp failed_stamp;  // so one broken install is reported once, not on every check
    auto next_check = std::chrono::steady_clock::now() + o.check_every;
    while (!stop.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (std::chrono::steady_clock::now() < next_check) continue;
        next_check = std::chrono::steady_clock::now() + o.check_every;
        const Stamp now = stamp_of(dir);
        if (now == running->loaded().stamp || now == failed_stamp || dir.install_pending())
            continue;

        auto next = load(dir);
        if (!next) {
            failed_stamp = now;
            log("not reloading yet: " + next.error().detail);
            continue;
        }
        // Stop before binding again: two listeners cannot share the port. The gap is a few
        // milliseconds, during which connections are refused rather than served an old key.
        running.reset();
        running = std::make_unique<Running>(std::move(next.value()), o.listen);
        if (!running->bound()) return fail(Errc::local, "cannot listen on " + where + " again");
        log("reloaded: certificate " + running->loaded().state.serial + " valid until " +
            format_utc(running->loaded().state.not_after));
    }
    return Done{};
}

}  // namespace denrol
