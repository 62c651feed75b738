#include "mdns/avahi_publisher.hpp"

#include <arpa/inet.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>
#include <avahi-common/timeval.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "mdns/conflict_pacer.hpp"
#include "mdns/host_plan.hpp"
#include "mdns/service_txt.hpp"

namespace rca::mdns {
namespace {

// How often to try again to reach the system D-Bus when it is not there at all (with a bus,
// AVAHI_CLIENT_NO_FAIL makes the client wait for avahi-daemon by itself).
constexpr std::chrono::seconds kRetry{5};
// Avahi's alternative names count up ("name #2", "#3"...); after this many collisions in a row
// something other than an honest name clash is going on.
constexpr int kMaxServiceRenames = 20;

std::string error_text(int error) { return avahi_strerror(error); }

int client_error(AvahiClient* client) { return client ? avahi_client_errno(client) : 0; }

struct StringListFree {
    void operator()(AvahiStringList* list) const { avahi_string_list_free(list); }
};
using StringList = std::unique_ptr<AvahiStringList, StringListFree>;

StringList to_string_list(const std::vector<std::string>& strings) {
    AvahiStringList* list = nullptr;
    for (const std::string& s : strings) list = avahi_string_list_add(list, s.c_str());
    // avahi_string_list_add prepends; the TXT record keeps our order (fp first).
    return StringList(avahi_string_list_reverse(list));
}

}  // namespace

class AvahiPublisher::Engine {
  public:
    // The daemon's threads never take Avahi's lock: the event thread can sit in a blocking D-Bus
    // call for up to 25 s (libdbus's default timeout) while avahi-daemon shuts down, and
    // publish_hosts is called from whichever thread changed the devices. They leave their wishes
    // under `shared_` and wake the event thread through an eventfd; status() reads a snapshot
    // the event thread keeps current.
    explicit Engine(PublisherLog log) : log_(std::move(log)) {
        wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wake_fd_ < 0) throw std::runtime_error("cannot create an eventfd for Avahi's thread");
        poll_ = avahi_threaded_poll_new();
        if (!poll_) {
            ::close(wake_fd_);
            throw std::runtime_error("cannot create Avahi's event loop");
        }
        const AvahiPoll* api = avahi_threaded_poll_get(poll_);
        apply_ = api->timeout_new(api, nullptr, &Engine::on_apply, this);
        retry_ = api->timeout_new(api, nullptr, &Engine::on_retry, this);
        wake_watch_ = api->watch_new(api, wake_fd_, AVAHI_WATCH_IN, &Engine::on_wake, this);
        if (!apply_ || !retry_ || !wake_watch_) {
            avahi_threaded_poll_free(poll_);
            ::close(wake_fd_);
            throw std::runtime_error("cannot create Avahi's timers");
        }
        snapshot_ = current_status();
        // The first connection is made on the event thread too, so that a hanging D-Bus cannot
        // hold up the daemon's start.
        wake(retry_, std::chrono::milliseconds{0});
        if (avahi_threaded_poll_start(poll_) < 0) {
            avahi_threaded_poll_free(poll_);
            ::close(wake_fd_);
            throw std::runtime_error("cannot start Avahi's event thread");
        }
    }

    ~Engine() {
        avahi_threaded_poll_stop(poll_);
        if (client_) avahi_client_free(client_);  // frees its entry groups too
        hosts_.clear();
        avahi_threaded_poll_free(poll_);  // frees the timers and the watch
        ::close(wake_fd_);
    }

    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    void set_advert(const RouterAdvert& advert) {
        {
            const std::lock_guard<std::mutex> lock(shared_);
            asked_advert_ = advert;
        }
        poke();
    }

    void set_hosts(const std::vector<MdnsHost>& hosts) {
        {
            const std::lock_guard<std::mutex> lock(shared_);
            asked_hosts_ = hosts;
        }
        poke();
    }

    MdnsStatus status() const {
        const std::lock_guard<std::mutex> lock(shared_);
        return snapshot_;
    }

  private:
    // Wakes the event thread (on_wake); an eventfd write needs no lock and never blocks.
    void poke() const {
        const uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
    }

    // The status as the event thread sees it now.
    MdnsStatus current_status() const {
        MdnsStatus s;
        s.enabled = true;
        s.daemon_running = connected_;
        size_t host_collisions = 0;
        for (const auto& [key, sentence] : collisions_) {
            s.collisions.push_back(sentence);
            if (key.rfind(kHostKey, 0) == 0) ++host_collisions;
        }
        if (!connected_) {
            s.detail =
                "avahi-daemon is not running (or the system D-Bus is not); router-ca "
                "publishes its mDNS records when it appears";
        } else if (!running_) {
            s.detail = "avahi-daemon is registering its host name; publishing shortly";
        } else {
            s.detail = published_advert_
                           ? "advertising \"" + service_name_ + "\" (" + kRouterServiceType + ", " +
                                 kWebUiServiceType + ") on port " +
                                 std::to_string(published_advert_->https_port)
                           : std::string("not advertising the router's services yet");
            s.detail += "; " + std::to_string(hosts_.size() - host_collisions) + " of " +
                        std::to_string(hosts_.size()) + " .local names published";
        }
        if (!advert_problem_.empty()) s.detail += "; " + advert_problem_;
        if (!rejected_.empty())
            s.detail += "; " + std::to_string(rejected_.size()) + " names cannot be published";
        return s;
    }

    // Publishes the event thread's view for status(); called at the end of every callback.
    void refresh_status() {
        MdnsStatus s = current_status();
        const std::lock_guard<std::mutex> lock(shared_);
        snapshot_ = std::move(s);
    }

    // A device's A record, in an entry group of its own.
    struct HostRecord {
        Engine* engine = nullptr;
        std::string label;  // lower case
        Ipv4 address;
        AvahiEntryGroup* group = nullptr;
    };

    static constexpr const char* kServiceKey = "service";
    static constexpr const char* kServerKey = "server";
    static constexpr const char* kHostKey = "host:";

    // Everything below runs on the event thread.

    void say(const std::string& line) const {
        if (log_) log_("mDNS: " + line);
    }

    void wake(AvahiTimeout* timeout, std::chrono::milliseconds delay) {
        timeval when{};
        avahi_elapse_time(&when, static_cast<unsigned>(delay.count()), 0);
        avahi_threaded_poll_get(poll_)->timeout_update(timeout, &when);
    }

    static void on_wake(AvahiWatch*, int fd, AvahiWatchEvent, void* self) {
        auto* e = static_cast<Engine*>(self);
        uint64_t count = 0;
        [[maybe_unused]] const ssize_t n = ::read(fd, &count, sizeof count);
        {
            const std::lock_guard<std::mutex> lock(e->shared_);
            if (e->asked_advert_) e->wanted_advert_ = e->asked_advert_;
            if (e->asked_hosts_) e->wanted_hosts_ = std::move(*e->asked_hosts_);
            e->asked_hosts_.reset();
        }
        e->reconcile();
        e->refresh_status();
    }

    static void on_apply(AvahiTimeout* timeout, void* self) {
        auto* e = static_cast<Engine*>(self);
        avahi_threaded_poll_get(e->poll_)->timeout_update(timeout, nullptr);
        e->reconcile();
        e->refresh_status();
    }

    static void on_retry(AvahiTimeout* timeout, void* self) {
        auto* e = static_cast<Engine*>(self);
        avahi_threaded_poll_get(e->poll_)->timeout_update(timeout, nullptr);
        e->connect();
        e->refresh_status();
    }

    void connect() {
        int error = 0;
        AvahiClient* c = avahi_client_new(avahi_threaded_poll_get(poll_), AVAHI_CLIENT_NO_FAIL,
                                          &Engine::on_client, this, &error);
        if (!c) {
            // NO_FAIL covers a missing avahi-daemon, not a missing system bus.
            if (!said_no_bus_)
                say("cannot connect to avahi-daemon over the system D-Bus (" + error_text(error) +
                    "); trying every " + std::to_string(kRetry.count()) +
                    " s, and router-ca runs on without mDNS meanwhile");
            said_no_bus_ = true;
            wake(retry_, kRetry);
            return;
        }
        said_no_bus_ = false;
        client_ = c;
    }

    static void on_client(AvahiClient* c, AvahiClientState state, void* self) {
        auto* e = static_cast<Engine*>(self);
        e->client_ = c;  // this can run inside avahi_client_new, before it returns
        switch (state) {
            case AVAHI_CLIENT_S_RUNNING:
                e->on_running();
                break;
            case AVAHI_CLIENT_S_COLLISION:
                // avahi-daemon's own host name is taken (RFC 6762 section 9); it picks another
                // and comes back through S_REGISTERING and S_RUNNING.
                e->collisions_[kServerKey] =
                    "the router's mDNS host name " + e->host_name_ +
                    ".local collided with another host on the LAN; avahi-daemon is choosing "
                    "another";
                e->say(e->collisions_[kServerKey]);
                [[fallthrough]];
            case AVAHI_CLIENT_S_REGISTERING:
                // Records hang off the host name being (re)registered: drop them and publish
                // again once the server is running (as Avahi's own examples do).
                e->connected_ = true;
                e->running_ = false;
                e->free_groups();
                break;
            case AVAHI_CLIENT_CONNECTING:
                // NO_FAIL: avahi-daemon is not there (yet, or any more). Our groups died with it.
                if (e->connected_ || !e->said_waiting_)
                    e->say(e->connected_ ? "avahi-daemon went away; publishing again when it is "
                                           "back"
                                         : "avahi-daemon is not running; router-ca runs on and "
                                           "publishes its records when it appears");
                e->said_waiting_ = true;
                e->connected_ = e->running_ = false;
                e->free_groups();
                break;
            case AVAHI_CLIENT_FAILURE:
                e->on_failure(c);
                break;
        }
        e->refresh_status();
    }

    void on_running() {
        const bool was_connected = connected_;
        connected_ = running_ = true;
        said_waiting_ = false;
        const char* host = avahi_client_get_host_name(client_);
        const std::string previous_host = host_name_;
        host_name_ = host ? host : "";
        if (collisions_.count(kServerKey) && host_name_ != previous_host) {
            collisions_[kServerKey] = "the router's mDNS host name " + previous_host +
                                      ".local collided with another host on the LAN; "
                                      "avahi-daemon now calls it " +
                                      host_name_ + ".local";
            say(collisions_[kServerKey]);
        }
        if (!was_connected) say("avahi-daemon is running (host " + host_name_ + ".local)");
        reconcile();
    }

    void on_failure(AvahiClient* c) {
        const int error = client_error(c);
        connected_ = running_ = false;
        forget_groups();
        avahi_client_free(c);  // frees its groups; done from this callback as avahi-publish does
        client_ = nullptr;
        refresh_status();  // before reconnecting, which can block on a dying avahi-daemon
        if (error == AVAHI_ERR_DISCONNECTED) {
            say("lost the connection to avahi-daemon (" + error_text(error) +
                "); reconnecting, and publishing again when it is back");
            connect();
        } else {
            say("the Avahi client failed (" + error_text(error) + "); trying again in " +
                std::to_string(kRetry.count()) + " s");
            wake(retry_, kRetry);
        }
    }

    // Frees our groups through a live client (a reset server, or one that went away).
    void free_groups() {
        if (service_group_) avahi_entry_group_free(service_group_);
        for (auto& [label, record] : hosts_)
            if (record->group) avahi_entry_group_free(record->group);
        forget_groups();
    }

    // Forgets our groups once the client that owned them is being freed (it frees them).
    void forget_groups() {
        service_group_ = nullptr;
        published_advert_.reset();
        hosts_.clear();
        for (auto it = collisions_.begin(); it != collisions_.end();)
            it = it->first.rfind(kHostKey, 0) == 0 ? collisions_.erase(it) : std::next(it);
    }

    // Moves what is published towards what is wanted; a no-op until avahi-daemon runs.
    void reconcile() {
        if (!running_ || !client_) return;
        if (wanted_advert_ && wanted_advert_ != published_advert_) publish_service();
        reconcile_hosts();
    }

    // ---- _router-ca._tcp and _https._tcp ----

    void publish_service() {
        const RouterAdvert advert = *wanted_advert_;
        if (const auto problem = advert_problem(advert)) {
            if (advert_problem_ != *problem) say("not advertising the router: " + *problem);
            advert_problem_ = *problem;
            return;
        }
        advert_problem_.clear();
        const std::string base = instance_name_for(advert, host_name_);
        if (base != service_base_) {
            service_base_ = service_name_ = base;
            collisions_.erase(kServiceKey);
        }
        if (service_group_) {
            avahi_entry_group_reset(service_group_);
        } else {
            service_group_ = avahi_entry_group_new(client_, &Engine::on_service_group, this);
            if (!service_group_) {
                say("cannot create an entry group: " + error_text(client_error(client_)));
                return;
            }
        }
        for (int attempt = 0; attempt < kMaxServiceRenames; ++attempt) {
            const int added = add_services(advert);
            if (added == AVAHI_ERR_COLLISION) {
                // Another local publisher holds the name: rename now rather than after probing.
                rename_service();
                avahi_entry_group_reset(service_group_);
                continue;
            }
            if (added < 0) {
                say("cannot advertise the router's services: " + error_text(added));
                return;
            }
            const int committed = avahi_entry_group_commit(service_group_);
            if (committed < 0) {
                say("cannot commit the router's services: " + error_text(committed));
                return;
            }
            published_advert_ = advert;
            return;
        }
        say("gave up renaming the router's services after " + std::to_string(kMaxServiceRenames) +
            " collisions");
    }

    int add_services(const RouterAdvert& advert) {
        const auto port = static_cast<uint16_t>(advert.https_port);
        const StringList router_txt_list = to_string_list(router_txt(advert));
        int r = avahi_entry_group_add_service_strlst(
            service_group_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, static_cast<AvahiPublishFlags>(0),
            service_name_.c_str(), kRouterServiceType, nullptr, nullptr, port,
            router_txt_list.get());
        if (r < 0) return r;
        const StringList web_txt_list = to_string_list(web_ui_txt());
        r = avahi_entry_group_add_service_strlst(
            service_group_, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, static_cast<AvahiPublishFlags>(0),
            service_name_.c_str(), kWebUiServiceType, nullptr, nullptr, port, web_txt_list.get());
        return r;
    }

    void rename_service() {
        char* alternative = avahi_alternative_service_name(service_name_.c_str());
        const std::string previous = service_name_;
        service_name_ = alternative ? alternative : service_name_ + " #2";
        avahi_free(alternative);
        collisions_[kServiceKey] = "the service name \"" + service_base_ +
                                   "\" is already in use on the LAN; advertising as \"" +
                                   service_name_ + "\" instead (RFC 6763 section 9)";
        say("the service name \"" + previous + "\" collided; renamed to \"" + service_name_ + "\"");
    }

    static void on_service_group(AvahiEntryGroup* group, AvahiEntryGroupState state, void* self) {
        auto* e = static_cast<Engine*>(self);
        if (e->service_group_ && group != e->service_group_) return;
        switch (state) {
            case AVAHI_ENTRY_GROUP_ESTABLISHED:
                if (e->published_advert_)
                    e->say("advertising \"" + e->service_name_ + "\" as " + kRouterServiceType +
                           " and " + kWebUiServiceType + " on port " +
                           std::to_string(e->published_advert_->https_port));
                break;
            case AVAHI_ENTRY_GROUP_COLLISION: {
                // Someone else on the LAN answered for our instance name while we probed: take
                // the next name, and probe again at once or, after a burst, paced.
                e->rename_service();
                e->published_advert_.reset();
                avahi_entry_group_reset(group);
                const auto wait = e->pacer_.on_conflict(std::chrono::steady_clock::now());
                if (wait.count() > 0)
                    e->say("many name conflicts in a row; waiting " +
                           std::to_string(wait.count() / 1000) +
                           " s before probing again (RFC 6762 section 8.1)");
                e->wake(e->apply_, wait);
                break;
            }
            case AVAHI_ENTRY_GROUP_FAILURE:
                e->say("advertising the router's services failed: " +
                       error_text(client_error(avahi_entry_group_get_client(group))));
                break;
            default:
                break;
        }
        e->refresh_status();
    }

    // ---- <label>.local ----

    void reconcile_hosts() {
        HostMap published;
        for (const auto& [label, record] : hosts_) published.emplace(label, record->address);
        const HostPlan plan = plan_hosts(published, wanted_hosts_);

        std::set<std::string> rejected(plan.rejected.begin(), plan.rejected.end());
        for (const std::string& sentence : rejected)
            if (!rejected_.count(sentence)) say(sentence);
        rejected_ = std::move(rejected);

        for (const std::string& label : plan.withdraw) {
            const auto it = hosts_.find(label);
            if (it->second->group) avahi_entry_group_free(it->second->group);
            hosts_.erase(it);
            collisions_.erase(kHostKey + label);
        }
        for (const std::string& label : plan.publish) {
            auto& record = hosts_[label];
            if (!record) {
                record = std::make_unique<HostRecord>();
                record->engine = this;
                record->label = label;
            }
            record->address = plan.wanted.at(label);
            collisions_.erase(kHostKey + label);
            publish_host(*record);
        }
        if (!plan.withdraw.empty() || !plan.publish.empty())
            say(std::to_string(hosts_.size()) + " .local names (" +
                std::to_string(plan.publish.size()) + " published or moved, " +
                std::to_string(plan.withdraw.size()) + " withdrawn)");
    }

    void publish_host(HostRecord& record) {
        if (record.group) {
            avahi_entry_group_reset(record.group);
        } else {
            record.group = avahi_entry_group_new(client_, &Engine::on_host_group, &record);
            if (!record.group) {
                say("cannot create an entry group for " + local_name(record.label) + ": " +
                    error_text(client_error(client_)));
                return;
            }
        }
        AvahiAddress address{};
        address.proto = AVAHI_PROTO_INET;
        address.data.ipv4.address = htonl(record.address.value);
        const std::string name = local_name(record.label);
        // NO_REVERSE: the PTR for the device's address belongs to the device's own responder
        // when it has one; publishing ours as well would make the two collide (RFC 6762
        // section 9) and knock out the forward name with it.
        int r = avahi_entry_group_add_address(record.group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                              AVAHI_PUBLISH_NO_REVERSE, name.c_str(), &address);
        if (r == AVAHI_ERR_COLLISION) {
            host_collision(record);
            return;
        }
        if (r >= 0) r = avahi_entry_group_commit(record.group);
        if (r < 0) say("cannot publish " + name + ": " + error_text(r));
    }

    void host_collision(HostRecord& record) {
        const std::string name = local_name(record.label);
        collisions_[kHostKey + record.label] =
            name +
            " is already in use by another host on the LAN, so router-ca does not "
            "publish it for " +
            record.address.to_string() +
            " (RFC 6762 section 9: the name stays with its first owner; rename one of the two)";
        say(collisions_[kHostKey + record.label]);
        avahi_entry_group_reset(record.group);
    }

    static void on_host_group(AvahiEntryGroup* group, AvahiEntryGroupState state, void* self) {
        auto* record = static_cast<HostRecord*>(self);
        Engine* e = record->engine;
        switch (state) {
            case AVAHI_ENTRY_GROUP_ESTABLISHED:
                e->collisions_.erase(kHostKey + record->label);
                break;
            case AVAHI_ENTRY_GROUP_COLLISION:
                e->host_collision(*record);
                break;
            case AVAHI_ENTRY_GROUP_FAILURE:
                e->say("publishing " + local_name(record->label) +
                       " failed: " + error_text(client_error(avahi_entry_group_get_client(group))));
                break;
            default:
                break;
        }
        e->refresh_status();
    }

    PublisherLog log_;
    AvahiThreadedPoll* poll_ = nullptr;
    AvahiClient* client_ = nullptr;
    AvahiTimeout* apply_ = nullptr;     // applies the wanted state on the event thread
    AvahiTimeout* retry_ = nullptr;     // makes the client again after a failure
    AvahiWatch* wake_watch_ = nullptr;  // on_wake, when the daemon's threads poke wake_fd_
    int wake_fd_ = -1;                  // an eventfd
    bool connected_ = false;            // avahi-daemon answers (running or registering)
    bool running_ = false;              // avahi-daemon is in S_RUNNING: records can be added
    bool said_waiting_ = false;         // "not running" is said once per outage
    bool said_no_bus_ = false;          // "no D-Bus" is said once per outage
    std::string host_name_;             // avahi-daemon's host name

    std::optional<RouterAdvert> wanted_advert_;
    std::optional<RouterAdvert> published_advert_;  // committed to service_group_
    std::string advert_problem_;                    // why the wanted advert is not published
    std::string service_base_;                      // the instance name before any renaming
    std::string service_name_;                      // the instance name in use
    ConflictPacer pacer_;                           // paces renames after conflicts
    AvahiEntryGroup* service_group_ = nullptr;

    std::vector<MdnsHost> wanted_hosts_;
    std::map<std::string, std::unique_ptr<HostRecord>> hosts_;  // published, by label
    std::set<std::string> rejected_;                            // hosts that cannot be published
    std::map<std::string, std::string> collisions_;             // key -> sentence

    // Shared with the daemon's threads.
    mutable std::mutex shared_;                         // guards the three below only
    std::optional<RouterAdvert> asked_advert_;          // the latest advertise_router
    std::optional<std::vector<MdnsHost>> asked_hosts_;  // the latest publish_hosts, until taken
    MdnsStatus snapshot_;                               // what status() returns
};

AvahiPublisher::AvahiPublisher(PublisherLog log)
    : engine_(std::make_unique<Engine>(std::move(log))) {}

AvahiPublisher::~AvahiPublisher() = default;

void AvahiPublisher::advertise_router(const RouterAdvert& advert) { engine_->set_advert(advert); }

void AvahiPublisher::publish_hosts(const std::vector<MdnsHost>& hosts) {
    engine_->set_hosts(hosts);
}

MdnsStatus AvahiPublisher::status() const { return engine_->status(); }

}  // namespace rca::mdns
