// Discovery through avahi-daemon (avahi-client over the system D-Bus), on a simple poll loop of
// its own that lives only as long as the browse.
#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/simple-watch.h>
#include <avahi-common/strlst.h>
#include <avahi-common/timeval.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "denrol/router_discovery.hpp"

namespace denrol {
namespace {

struct PollFree {
    void operator()(AvahiSimplePoll* p) const { avahi_simple_poll_free(p); }
};
struct ClientFree {
    void operator()(AvahiClient* c) const { avahi_client_free(c); }  // frees browser, resolvers
};

// What the callbacks share with discover_router.
struct Search {
    AvahiSimplePoll* poll = nullptr;
    const Log* log = nullptr;
    std::optional<AdvertisedRouter> found;
    std::optional<Error> error;
    bool timed_out = false;

    void say(const std::string& line) const {
        if (*log) (*log)(line);
    }
    void stop() { avahi_simple_poll_quit(poll); }
};

std::vector<std::string> txt_strings(AvahiStringList* list) {
    std::vector<std::string> out;
    for (AvahiStringList* l = list; l; l = avahi_string_list_get_next(l))
        out.emplace_back(reinterpret_cast<const char*>(avahi_string_list_get_text(l)),
                         avahi_string_list_get_size(l));
    return out;
}

void on_resolve(AvahiServiceResolver* resolver, AvahiIfIndex, AvahiProtocol,
                AvahiResolverEvent event, const char* name, const char*, const char*, const char*,
                const AvahiAddress* address, uint16_t port, AvahiStringList* txt,
                AvahiLookupResultFlags, void* userdata) {
    auto* s = static_cast<Search*>(userdata);
    if (event == AVAHI_RESOLVER_FOUND && !s->found) {
        char text[AVAHI_ADDRESS_STR_MAX] = {};
        avahi_address_snprint(text, sizeof text, address);
        auto advert = read_advert(name, text, port, txt_strings(txt));
        if (advert) {
            s->found = std::move(advert.value());
            s->stop();
        } else {
            s->say("ignoring an answer: " + advert.error().detail);
        }
    } else if (event == AVAHI_RESOLVER_FAILURE) {
        s->say(std::string("cannot resolve \"") + name + "\": " +
               avahi_strerror(avahi_client_errno(avahi_service_resolver_get_client(resolver))));
    }
    avahi_service_resolver_free(resolver);
}

void on_browse(AvahiServiceBrowser* browser, AvahiIfIndex interface, AvahiProtocol protocol,
               AvahiBrowserEvent event, const char* name, const char* type, const char* domain,
               AvahiLookupResultFlags, void* userdata) {
    auto* s = static_cast<Search*>(userdata);
    AvahiClient* client = avahi_service_browser_get_client(browser);
    if (event == AVAHI_BROWSER_NEW) {
        // IPv4 only: the router's root constrains addresses to IPv4 subtrees, so its
        // certificate can never name an IPv6 address.
        if (!avahi_service_resolver_new(client, interface, protocol, name, type, domain,
                                        AVAHI_PROTO_INET, static_cast<AvahiLookupFlags>(0),
                                        &on_resolve, s))
            s->say(std::string("cannot resolve \"") + name +
                   "\": " + avahi_strerror(avahi_client_errno(client)));
    } else if (event == AVAHI_BROWSER_FAILURE) {
        s->error =
            fail(Errc::unreachable, std::string("browsing for the router over mDNS failed: ") +
                                        avahi_strerror(avahi_client_errno(client)));
        s->stop();
    }
}

void on_client(AvahiClient* client, AvahiClientState state, void* userdata) {
    auto* s = static_cast<Search*>(userdata);
    if (state == AVAHI_CLIENT_FAILURE) {
        s->error = fail(Errc::unreachable, std::string("lost avahi-daemon while browsing: ") +
                                               avahi_strerror(avahi_client_errno(client)));
        s->stop();
    }
}

void on_timeout(AvahiTimeout*, void* userdata) {
    auto* s = static_cast<Search*>(userdata);
    s->timed_out = true;
    s->stop();
}

std::string seconds_text(std::chrono::milliseconds t) {
    return std::to_string((t.count() + 999) / 1000) + " s";
}

}  // namespace

bool router_discovery_built_in() { return true; }

Result<AdvertisedRouter> discover_router(std::chrono::milliseconds timeout, const Log& log) {
    const std::unique_ptr<AvahiSimplePoll, PollFree> poll(avahi_simple_poll_new());
    if (!poll) return fail(Errc::local, "cannot create an event loop for mDNS");
    Search search;
    search.poll = poll.get();
    search.log = &log;

    int error = 0;
    const std::unique_ptr<AvahiClient, ClientFree> client(
        avahi_client_new(avahi_simple_poll_get(poll.get()), static_cast<AvahiClientFlags>(0),
                         &on_client, &search, &error));
    if (!client)
        return fail(Errc::unreachable,
                    std::string("cannot look for the router over mDNS: ") +
                        (error == AVAHI_ERR_NO_DAEMON ? "avahi-daemon is not running"
                                                      : avahi_strerror(error)) +
                        "; start avahi-daemon, or give --router https://ADDRESS:PORT");
    if (!avahi_service_browser_new(client.get(), AVAHI_IF_UNSPEC, AVAHI_PROTO_INET,
                                   kRouterServiceType, nullptr, static_cast<AvahiLookupFlags>(0),
                                   &on_browse, &search))
        return fail(Errc::unreachable, std::string("cannot browse for the router over mDNS: ") +
                                           avahi_strerror(avahi_client_errno(client.get())));
    const AvahiPoll* api = avahi_simple_poll_get(poll.get());
    timeval deadline{};
    avahi_elapse_time(&deadline, static_cast<unsigned>(timeout.count()), 0);
    api->timeout_new(api, &deadline, &on_timeout, &search);  // freed with the poll

    avahi_simple_poll_loop(poll.get());

    if (search.found) return *search.found;
    if (search.error) return *search.error;
    return fail(Errc::unreachable,
                "no router-ca answered on the LAN within " + seconds_text(timeout) +
                    " (mDNS browse for " + kRouterServiceType +
                    "): check that the router runs with --mdns on and that this device is on its "
                    "LAN, or give --router https://ADDRESS:PORT");
}

}  // namespace denrol
