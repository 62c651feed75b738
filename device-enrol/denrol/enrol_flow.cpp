#include "denrol/enrol_flow.hpp"

#include <algorithm>
#include <optional>

#include "denrol/csr_maker.hpp"
#include "denrol/device_identity.hpp"
#include "denrol/endpoint.hpp"
#include "denrol/issued_cert.hpp"
#include "denrol/own_revocation.hpp"
#include "denrol/pending_key.hpp"
#include "denrol/reload_hook.hpp"
#include "denrol/renewal_schedule.hpp"
#include "denrol/root_pinning.hpp"

namespace denrol {
namespace {

// The CN of a CSR without a name hint; the router ignores CSR names and assigns its own.
constexpr const char* kDefaultCommonName = "device";

// `run` aims its last retry this long before expiry rather than sleeping past it: once the
// certificate has expired the router no longer accepts it for mutual TLS.
constexpr std::chrono::seconds kLastChanceBeforeExpiry{60};

std::string with_detail(std::string sentence, const std::string& detail) {
    if (!detail.empty()) sentence += " (router says: " + detail + ")";
    return sentence;
}

// Turns a pending request into a decision: polls at the router's pace until it decides or the
// deadline passes. A router that stops answering for a moment (Wi-Fi roaming, a reboot) is polled
// again until the deadline, rather than failing the pairing the user is waiting on.
Result<rca::wire::EnrolmentStatus> wait_for_decision(RouterClient& client, RouterReply reply,
                                                     TimePoint deadline,
                                                     std::chrono::seconds timeout, Clock& clock,
                                                     const Log& log) {
    const std::string id = reply.status.id;
    const std::string token = reply.status.token;
    for (;;) {
        const rca::wire::EnrolmentStatus& st = reply.status;
        if (st.status == "issued") return st;
        if (st.status == "denied")
            return fail(Errc::denied,
                        with_detail("the router denied the pairing request", st.detail));
        if (st.status == "overlap")
            return fail(Errc::overlap,
                        with_detail("another device asked to pair at the same time, so neither was "
                                    "approved: press the router's pairing button and pair again, "
                                    "or approve this device in the router's web UI",
                                    st.detail));
        if (st.status == "expired")
            return fail(Errc::expired,
                        with_detail("the pairing request expired before it was approved: press the "
                                    "router's pairing button, then pair again",
                                    st.detail));
        if (st.status != "pending")
            return fail(Errc::protocol, "the router sent an unknown status \"" + st.status + "\"");

        const TimePoint now = clock.now();
        if (now >= deadline)
            return fail(Errc::timeout, "no approval within " + std::to_string(timeout.count()) +
                                           " s: press the router's pairing button and pair again "
                                           "(or allow longer with --timeout)");
        if (!clock.sleep_until(std::min(deadline, now + reply.retry_after)))
            return fail(Errc::timeout, "stopped while waiting for approval");
        auto next = client.poll(id, token);
        if (next) {
            reply = std::move(next.value());
        } else if (next.error().code == Errc::unreachable) {
            log(next.error().detail + "; still trying");
        } else {
            return next.error();
        }
    }
}

// Builds the state.json content for a freshly checked certificate.
DeviceState state_for(const std::string& router_url, const rca::wire::EnrolmentStatus& st,
                      const CheckedIssue& issued, const std::string& root_sha256, KeyType type,
                      TimePoint now, const DeviceState* previous) {
    DeviceState s;
    s.router_url = router_url;
    s.name = !st.name.empty() || !previous ? st.name : previous->name;
    s.fqdn = !st.fqdn.empty() || !previous ? st.fqdn : previous->fqdn;
    s.root_sha256 = root_sha256;
    s.serial = issued.facts.serial;
    s.not_before = issued.facts.validity.not_before;
    s.not_after = issued.facts.validity.not_after;
    s.last_renewal = now;
    s.key_type = type;
    // A renewal changes the certificate, not what the router knows of the device's address.
    if (previous) s.reported_ipv4 = previous->reported_ipv4;
    // A router whose HQ link is down for a moment answers without a public name; the device
    // keeps the one it had (its public certificate stays valid, and renews once HQ is back).
    s.public_name = !st.public_name.empty() || !previous ? st.public_name : previous->public_name;
    return s;
}

// One renewal of the certificate described by `state`; installs and returns the new state.
Result<DeviceState> renew_now(const EnrolmentDir& dir, const DeviceState& state, Clock& clock,
                              Botan::RandomNumberGenerator& rng, const HttpOptions& http) {
    auto identity = load_identity(dir, state);
    if (!identity) return identity.error();
    const DeviceIdentity& id = identity.value();

    // The key the last renewal sent if its answer never arrived (the router then answers with
    // the certificate it already issued for it), else a new one: a new key each time
    // (architecture brief, After onboarding), so a key that leaked from an old backup stops being
    // useful after one renewal.
    auto made = pending_key(dir, EnrolmentDir::kRenewalKey, state.key_type, rng);
    if (!made) return made.error();
    const auto& key = made.value();
    const std::string csr =
        make_csr_pem(*key, state.name.empty() ? kDefaultCommonName : state.name, rng);
    RouterClient client(id.router, id.root_pem, dir, http);
    auto reply = client.renew(rca::wire::RenewalSubmit{csr}, id.client);
    if (!reply) return reply.error();
    const rca::wire::EnrolmentStatus& st = reply.value().status;
    if (st.status != "issued")
        return fail(Errc::protocol,
                    "the router answered the renewal with status \"" + st.status + "\"");
    const std::string fqdn = st.fqdn.empty() ? state.fqdn : st.fqdn;
    auto issued = check_issued(st.certificate, st.chain, id.root, *key, fqdn);
    if (!issued) return issued.error();

    const DeviceState next = state_for(state.router_url, st, issued.value(), state.root_sha256,
                                       state.key_type, clock.now(), &state);
    auto installed = dir.install(Bundle{private_key_pem(*key), issued.value().cert_pem,
                                        issued.value().chain_pem, id.root_pem, next});
    if (!installed) return installed.error();
    return next;
}

// One attempt at the public certificate, logged; true when a new one was installed.
bool refresh_public(const EnrolmentDir& dir, const DeviceState& state, const PublicOptions& options,
                    Clock& clock, Botan::RandomNumberGenerator& rng, const Log& log) {
    if (state.public_name.empty()) return false;
    const auto outcome = obtain_public_certificate(dir, state, options, clock, rng, log);
    log(describe_public(outcome));
    return outcome && outcome.value().kind == PublicOutcome::Kind::installed;
}

// Errors that retrying cannot fix: a revoked or superseded certificate (401/403 from the router,
// so pair again), or a broken local directory.
bool permanent(const Error& e) {
    return e.code == Errc::local || e.code == Errc::usage ||
           (e.code == Errc::refused && (e.http_status == 401 || e.http_status == 403));
}

// Refreshes the CRL and looks for this device's certificate in it. A revoked certificate ends
// `run` with the sentence saying what to do; a CRL that cannot be fetched is only logged, since
// renewal still works (the router itself refuses revoked certificates).
Result<Done> stop_if_revoked(const EnrolmentDir& dir, Clock& clock, const HttpOptions& http,
                             const Log& log) {
    auto state = dir.load_state();
    if (!state) return state.error();
    auto check = refresh_own_revocation(dir, state.value(), clock.now(), http);
    if (!check) {
        log("cannot check the router's CRL now: " + check.error().detail);
        return Done{};
    }
    const std::string said = describe_revocation(check.value(), state.value().serial);
    if (check.value().status == RevocationCheck::Status::revoked)
        return fail(Errc::refused, said, 403);
    log(said);
    return Done{};
}

// Sleeps until `moment` (true) or until stopped (false), waking every `every` (0: never) to look
// for this device's certificate in a fresh CRL; a revoked certificate ends the wait with an error.
Result<bool> sleep_watching_revocation(AddressWatch& watch, TimePoint moment,
                                       std::chrono::seconds every, const EnrolmentDir& dir,
                                       Clock& clock, const HttpOptions& http, const Log& log) {
    for (;;) {
        const TimePoint until = every.count() > 0 ? std::min(moment, clock.now() + every) : moment;
        auto woke = watch.sleep_until(until);
        if (!woke || !woke.value() || until >= moment) return woke;
        if (auto revoked = stop_if_revoked(dir, clock, http, log); !revoked) return revoked.error();
    }
}

}  // namespace

Result<DeviceState> pair(const PairOptions& o, Clock& clock, Botan::RandomNumberGenerator& rng,
                         const Log& log) {
    const auto router = parse_router_url(o.router);
    if (!router) return router.error();
    std::string expected;
    if (!o.ca_fingerprint.empty()) {
        const auto normalised = normalise_fingerprint(o.ca_fingerprint);
        if (!normalised)
            return fail(Errc::usage,
                        "--ca-fingerprint must be a SHA-256 fingerprint: 64 hex "
                        "digits, colons allowed");
        expected = *normalised;
    }
    if (!o.advertised_fingerprint.empty() && !expected.empty() &&
        o.advertised_fingerprint != expected)
        return fail(Errc::untrusted, "the router found over mDNS announces root fingerprint " +
                                         o.advertised_fingerprint + ", not the expected " +
                                         expected + "; refusing to pair (is it the right router?)");
    if (auto checked = check_options(o.http); !checked) return checked.error();
    if (o.timeout.count() <= 0)
        return fail(Errc::usage, "--timeout must be a positive number of seconds");

    const EnrolmentDir dir(o.out_dir);
    if (auto recovered = dir.recover(); !recovered) return recovered.error();
    std::optional<std::string> pinned;
    if (dir.has(EnrolmentDir::kRoot)) {
        auto text = dir.read(EnrolmentDir::kRoot);
        if (!text) return text.error();
        pinned = std::move(text.value());
    }

    const std::string url = router_url_text(router.value());
    log("fetching the router's root certificate from " + url);
    auto fetched = fetch_root_unverified(router.value(), o.http);
    if (!fetched) return fetched.error();
    auto accepted = accept_root(fetched.value(), expected, pinned);
    if (!accepted) return accepted.error();
    const Botan::X509_Certificate& root = accepted.value();
    const std::string root_sha256 = certificate_fingerprint(root);
    // An mDNS answer proves nothing by itself (anyone on the LAN can send one), but a root that
    // differs from the announced one means two parties are answering: refuse either way.
    if (!o.advertised_fingerprint.empty() && root_sha256 != o.advertised_fingerprint)
        return fail(Errc::untrusted, "the root served at " + url + " has fingerprint " +
                                         root_sha256 + ", but the router announced " +
                                         o.advertised_fingerprint +
                                         " over mDNS; refusing to pair (someone else may be "
                                         "answering for the router)");
    if (!o.advertised_fingerprint.empty())
        log("the router's root matches the fingerprint it announced over mDNS");
    if (!expected.empty())
        log("the router's root matches the given fingerprint");
    else if (pinned)
        log("the router's root matches the one pinned in " + dir.file(EnrolmentDir::kRoot));
    else
        log("trusting the router's root on first use; compare its SHA-256 with the router's web "
            "UI: " +
            root_sha256);

    log(std::string("making a new ") + key_type_name(o.key_type) + " key on this device");
    const auto key = make_key(o.key_type, rng);
    // The router's web UI and `router-ca status` show the same beside this device's request.
    log("this device's key fingerprint: " + short_key_fingerprint(*key));
    const std::string csr =
        make_csr_pem(*key, o.name_hint.empty() ? kDefaultCommonName : o.name_hint, rng);

    const std::string root_pem = root.PEM_encode();
    RouterClient client(router.value(), root_pem, dir, o.http);
    // With --ipv4 the connection comes from it, and stating it lets the router refuse rather
    // than name another address (a NAT between device and router, say).
    auto submitted =
        client.submit(rca::wire::EnrolmentSubmit{csr, o.name_hint, o.http.source_ipv4});
    if (!submitted) return submitted.error();
    if (submitted.value().status.status == "pending")
        log("waiting up to " + std::to_string(o.timeout.count()) +
            " s for approval: press the pairing button on the router (or approve the request in "
            "its web UI)");
    auto decided = wait_for_decision(client, std::move(submitted.value()), clock.now() + o.timeout,
                                     o.timeout, clock, log);
    if (!decided) return decided.error();
    const rca::wire::EnrolmentStatus& st = decided.value();

    auto issued = check_issued(st.certificate, st.chain, root, *key, st.fqdn);
    if (!issued) return issued.error();
    DeviceState state =
        state_for(url, st, issued.value(), root_sha256, o.key_type, clock.now(), nullptr);
    // The router recorded the connection's source: the --ipv4 address when given; without it,
    // `run` confirms the kernel's choice at its first address check.
    state.reported_ipv4 = o.http.source_ipv4;
    auto installed = dir.install(Bundle{private_key_pem(*key), issued.value().cert_pem,
                                        issued.value().chain_pem, root_pem, state});
    if (!installed) return installed.error();
    refresh_public(dir, state, {o.public_wait, o.http}, clock, rng, log);
    return state;
}

Result<RenewOutcome> renew(const std::string& out_dir, bool force, Clock& clock,
                           Botan::RandomNumberGenerator& rng, const Log& log,
                           const HttpOptions& http, std::chrono::seconds public_wait) {
    if (auto checked = check_options(http); !checked) return checked.error();
    const EnrolmentDir dir(out_dir);
    if (auto recovered = dir.recover(); !recovered) return recovered.error();
    auto state = dir.load_state();
    if (!state) return state.error();
    const Validity current{state.value().not_before, state.value().not_after};
    RenewOutcome outcome{false, state.value(), renewal_window_start(current)};
    // An outstanding renewal is finished before anything else (the public certificate below)
    // speaks with the certificate, which the router may already have replaced.
    const bool outstanding = dir.has(EnrolmentDir::kRenewalKey);
    if (force || outstanding || is_due(current, clock.now())) {
        log(std::string(outstanding ? "finishing the renewal of certificate "
                                    : "renewing certificate ") +
            state.value().serial + " with " + state.value().router_url);
        auto renewed = renew_now(dir, state.value(), clock, rng, http);
        if (!renewed) return renewed.error();
        const Validity next{renewed.value().not_before, renewed.value().not_after};
        outcome = RenewOutcome{true, renewed.value(), renewal_window_start(next)};
    }
    // The public certificate follows its own schedule; --force is about the local one.
    refresh_public(dir, outcome.state, {public_wait, http}, clock, rng, log);
    return outcome;
}

Result<Done> run(const RunOptions& o, Clock& clock, Botan::RandomNumberGenerator& rng,
                 const Log& log) {
    if (auto checked = check_options(o.http); !checked) return checked.error();
    const EnrolmentDir dir(o.out_dir);
    const KernelAddressProbe kernel;
    const GivenAddressProbe given(o.http.source_ipv4);
    const AddressProbe& probe = o.address_probe ? *o.address_probe
                                : o.http.source_ipv4.empty()
                                    ? static_cast<const AddressProbe&>(kernel)
                                    : given;
    AddressWatch watch(dir, probe, o.address_check_every, o.http, clock, log);
    if (auto recovered = dir.recover(); !recovered) return recovered.error();
    if (auto revoked = stop_if_revoked(dir, clock, o.http, log); !revoked) return revoked.error();
    if (auto checked = watch.check(); !checked) return checked.error();
    // The local renewal moment is drawn once per certificate, so waking for the public
    // certificate in between does not draw it again.
    std::string planned_serial;
    TimePoint moment{};
    // A failed or unfinished public attempt is retried with the same jittered backoff.
    std::optional<TimePoint> public_retry_at;
    unsigned public_attempt = 0;
    for (;;) {
        if (auto recovered = dir.recover(); !recovered) return recovered.error();
        auto state = dir.load_state();
        if (!state) return state.error();
        const Validity v{state.value().not_before, state.value().not_after};
        // A renewal sent before (by a `renew` that was killed, say) and never answered: the
        // router may have replaced this certificate already, so the retry comes first and the
        // public certificate waits for it.
        const bool outstanding = dir.has(EnrolmentDir::kRenewalKey);
        if (outstanding) {
            planned_serial.clear();
            moment = clock.now();
            log("finishing the renewal of certificate " + state.value().serial + " sent earlier");
        } else if (state.value().serial != planned_serial) {
            planned_serial = state.value().serial;
            moment = pick_renewal_moment(v, clock.now(), rng);
            log("certificate " + state.value().serial + " for " + state.value().fqdn + " expires " +
                format_utc(v.not_after) + "; next renewal at " + format_utc(moment));
        }
        std::optional<TimePoint> public_at;
        if (!outstanding)
            public_at =
                public_retry_at ? public_retry_at : public_due(dir, state.value(), clock.now());
        const TimePoint wake = public_at ? std::min(moment, *public_at) : moment;
        auto woke = sleep_watching_revocation(watch, wake, o.revocation_check_every, dir, clock,
                                              o.http, log);
        if (!woke) return woke.error();
        if (!woke.value()) return Done{};

        if (public_at && clock.now() >= *public_at) {
            auto latest = dir.load_state();
            if (!latest) return latest.error();
            const auto outcome = obtain_public_certificate(
                dir, latest.value(), {o.public_wait, o.http}, clock, rng, log);
            log(describe_public(outcome));
            const bool settled =
                outcome && (outcome.value().kind == PublicOutcome::Kind::installed ||
                            outcome.value().kind == PublicOutcome::Kind::up_to_date);
            if (settled) {
                public_retry_at.reset();
                public_attempt = 0;
            } else {
                // Never the end of `run`: the local certificate is what the device relies on,
                // and a revoked one ends `run` through the local renewal or the CRL check.
                public_retry_at = clock.now() + backoff(public_attempt++, rng);
                log("next public certificate attempt at " + format_utc(*public_retry_at));
            }
            if (outcome && outcome.value().kind == PublicOutcome::Kind::installed &&
                !o.hook.empty()) {
                const HookOutcome hook = run_hook(o.hook, dir.path());
                log("hook `" + o.hook + "`: " + hook.description);
            }
            continue;
        }

        // A manual `renew` may have replaced the certificate while we slept: plan again for it.
        auto latest = dir.load_state();
        if (!latest) return latest.error();
        if (latest.value().serial != state.value().serial) continue;

        for (unsigned attempt = 0;; ++attempt) {
            auto renewed = renew_now(dir, latest.value(), clock, rng, o.http);
            if (renewed) {
                log("renewed: certificate " + renewed.value().serial + " valid until " +
                    format_utc(renewed.value().not_after));
                if (!o.hook.empty()) {
                    const HookOutcome hook = run_hook(o.hook, dir.path());
                    log("hook `" + o.hook + "`: " + hook.description);
                }
                break;
            }
            if (permanent(renewed.error())) return renewed.error();

            const TimePoint now = clock.now();
            TimePoint retry_at = now + backoff(attempt, rng);
            // Never sleep past expiry: one last attempt just before not_after beats a retry that
            // can only find the certificate expired.
            const TimePoint last_chance = v.not_after - kLastChanceBeforeExpiry;
            if (now < last_chance && retry_at > last_chance) retry_at = last_chance;
            log("renewal failed: " + renewed.error().detail + "; retrying at " +
                format_utc(retry_at) +
                (now >= v.not_after ? " (the certificate has expired; if the router refuses it, "
                                      "pair again)"
                                    : ""));
            auto retried = watch.sleep_until(retry_at);
            if (!retried) return retried.error();
            if (!retried.value()) return Done{};
        }
    }
}

}  // namespace denrol
