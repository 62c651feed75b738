#include "acme/acme_service.hpp"

#include <botan/hex.h>

#include "acme/acme_views.hpp"

namespace rca::acme {

using nlohmann::json;

std::string pairing_detail(const Account& account) {
    return "account " + account.id + " is not approved yet: press the pairing button on the " +
           "router, or approve account " + account.id +
           " in the admin UI (router-ca acme approve " + account.id + "), then try again";
}

AcmeReply json_reply(int status, json body) {
    AcmeReply reply;
    reply.status = status;
    reply.json = std::move(body);
    return reply;
}

AcmeReply problem_reply(const Problem& p) {
    AcmeReply reply = json_reply(problem_status(p.type), problem_view(p));
    reply.is_problem = true;
    return reply;
}

AcmeService::AcmeService(AcmeStore& acme_store, Store& store, EnrolmentService& enrolment,
                         const Issuer& issuer, ChallengeValidator& validator,
                         const TimeSource& clock, Botan::RandomNumberGenerator& rng,
                         AcmeSettings settings)
    : acme_store_(acme_store),
      store_(store),
      enrolment_(enrolment),
      issuer_(issuer),
      issuance_(store, issuer, rng),
      challenges_(store, issuer.policy(), validator, settings.http01_port,
                  settings.tls_alpn01_port),
      clock_(clock),
      rng_(rng),
      settings_(settings),
      nonces_(rng) {
    PairingParticipant participant;
    participant.undecided = [this] {
        std::vector<PairingCandidate> waiting;
        // An account made from an address the admin has blocked since is no candidate, as the
        // address's device requests were denied when it was blocked.
        for (const auto& a : acme_store_.unapproved_accounts())
            if (a.approval == Approval::waiting && a.status == AccountStatus::valid &&
                (a.source.empty() || !store_.is_blocked(a.source)))
                waiting.push_back({ParticipantId::acme_account(a.id), a.thumbprint, a.created_at});
        return waiting;
    };
    participant.decide = [this](const PairingDecision& d) { decide_pairing(d); };
    participant.decided = [this] { pairing_decided(); };
    enrolment_.set_pairing_participant(std::move(participant));
}

json AcmeService::directory(const AcmeUrls& urls) const { return directory_view(urls); }

AcmeResult<VerifiedRequest> AcmeService::verify(const AcmeRequest& request, KeyRule rule,
                                                const AcmeUrls& urls) {
    return verify_request(request, rule, urls, acme_store_, nonces_);
}

std::string AcmeService::random_id() {
    std::vector<uint8_t> bytes(16);
    rng_.randomize(bytes.data(), bytes.size());
    return Botan::hex_encode(bytes, false);
}

}  // namespace rca::acme
