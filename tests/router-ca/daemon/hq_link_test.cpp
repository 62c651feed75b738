#include "daemon/hq_link.hpp"

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "../store/store_test_support.hpp"
#include "store/sqlite_store.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

// A scripted HQ on loopback: registers the home "nifty", refuses the record for the label "bad"
// (as HQ does a label it will not publish) and records every label it was sent.
struct ScriptedHq {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::mutex mutex;
    std::set<std::string> set_labels;
    std::atomic<int> puts{0};

    ScriptedHq() {
        server.Post("/v1/homes", [](const httplib::Request&, httplib::Response& res) {
            res.status = 201;
            res.set_content(
                R"({"home":"nifty","zone":"nifty.vendor.test","credential":"credential"})",
                "application/json");
        });
        server.Put(R"(/v1/homes/nifty/records/([a-z0-9-]+))",
                   [this](const httplib::Request& req, httplib::Response& res) {
                       ++puts;
                       if (req.matches[1] == "bad") {
                           res.status = 400;
                           res.set_content(R"({"detail":"not a label HQ publishes"})",
                                           "application/problem+json");
                           return;
                       }
                       const std::lock_guard<std::mutex> lock(mutex);
                       set_labels.insert(req.matches[1]);
                       res.set_content("{}", "application/json");
                   });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        // stop() before the thread runs would do nothing, and join() wait forever.
        while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~ScriptedHq() {
        server.stop();
        if (thread.joinable()) thread.join();
    }
    bool has(const std::string& label) {
        const std::lock_guard<std::mutex> lock(mutex);
        return set_labels.count(label) > 0;
    }
};

void add_device(Store& store, const std::string& name, const char* address,
                const std::string& serial) {
    NewDevice device = test::sample_device(name);
    device.ipv4 = Ipv4::parse(address);
    store.commit_enrolment(device, test::sample_cert(serial), "",
                           test::sample_event("enrol", name));
}

// Under a second here; each wait allows 20 s for a loaded machine.
TEST_CASE("a record HQ refuses fails that record only; each registration pushes all again",
          "[hq_link]") {
    ScriptedHq hq;
    HqClient client("http://127.0.0.1:" + std::to_string(hq.port), "");
    SqliteStore store(":memory:");
    add_device(store, "bad", "192.168.1.20", "01");  // pushed first: labels go in order
    add_device(store, "cam", "192.168.1.21", "02");
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("rca-hq-link-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        DataPaths paths{dir.string()};
        PublicHomeHolder holder;
        test::FakeClock clock{test::test_epoch()};
        Botan::AutoSeeded_RNG rng;
        HqLink link(client, paths, store, holder, *Ipv4::parse("192.168.1.1"), clock, rng, {});
        link.start();
        for (int i = 0; i < 200 && !hq.has("cam"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        CHECK(hq.has("cam"));  // the label after the refused one was still pushed
        CHECK(hq.puts == 2);
        const auto status = link.status_json();
        CHECK(status["state"] == "registered");  // HQ answered: not marked unreachable
        CHECK_FALSE(status.contains("error"));
        CHECK(link.registration());
        // A registration again (every 6 h; here HQ's refusal of the credential asks for one at
        // once) pushes every record again, reconciling whatever HQ lost meanwhile.
        link.reregister_now("test");
        for (int i = 0; i < 200 && hq.puts < 4; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        link.stop();
        CHECK(hq.puts == 4);
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rca
