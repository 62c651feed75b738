#include "daemon/http_api.hpp"

#include "daemon/https_server.hpp"
#include "daemon/log.hpp"
#include "daemon/problem.hpp"
#include "wire/enrolment_wire.hpp"

namespace rca {
namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kPem = "application/x-pem-file";

std::optional<Ipv4> source_of(const httplib::Request& req) { return Ipv4::parse(req.remote_addr); }

// Answers with the enrolment shape, or the problem. An issued certificate also tells the device
// its public alias while the router has a home at HQ (docs/hq.md): the one name the device may
// then ask a public certificate for at wire::kPublicCertificatesPath.
void answer(httplib::Response& res, Result<wire::EnrolmentStatus> result, int ok_status,
            const PublicHomeHolder& public_home) {
    if (!result) return send_problem(res, result.error());
    wire::EnrolmentStatus& status = result.value();
    if (status.status == "issued" && !status.name.empty())
        if (const auto home = public_home.get())
            status.public_name = public_name(*home, status.name);
    res.status = ok_status;
    // A client still waiting polls again after this many seconds (RFC 9110 10.2.3).
    if (status.status == "pending") res.set_header("Retry-After", "1");
    res.set_content(wire::to_json(status), kJson);
}

std::string bearer_token(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return "";
    return header.substr(prefix.size());
}

}  // namespace

void register_device_api(httplib::Server& server, EnrolmentService& service, const Issuer& issuer,
                         const PublicHomeHolder& public_home, ErrorAnswer other_errors) {
    const std::string root_pem = issuer.root().PEM_encode();
    const auto root_der = issuer.root().BER_encode();
    const std::string root_der_text(root_der.begin(), root_der.end());

    server.Get(wire::kHealthPath, [](const httplib::Request&, httplib::Response& res) {
        res.set_content("ok\n", "text/plain");
    });
    server.Get(wire::kRootPemPath, [root_pem](const httplib::Request&, httplib::Response& res) {
        res.set_content(root_pem, kPem);
    });
    server.Get(wire::kRootDerPath,
               [root_der_text](const httplib::Request&, httplib::Response& res) {
                   // RFC 2585 section 4.1 / what browsers expect for "install this CA".
                   res.set_content(root_der_text, "application/x-x509-ca-cert");
               });
    // Every intermediate held, the current one first, then the root: after a rotation the leaves
    // of the earlier intermediate still find their issuer here.
    server.Get(wire::kChainPemPath,
               [&issuer, root_pem](const httplib::Request&, httplib::Response& res) {
                   std::string chain;
                   for (const auto& intermediate : issuer.intermediates())
                       chain += intermediate.PEM_encode();
                   res.set_content(chain + root_pem, kPem);
               });
    // RFC 2585 section 4.2 content type. /crl is the first intermediate's, for leaves issued
    // before each leaf's distribution point named its issuer (crl_url_for).
    server.Get(wire::kCrlPath, [&service](const httplib::Request&, httplib::Response& res) {
        const auto der = service.crl_der();
        res.set_content(std::string(der.begin(), der.end()), "application/pkix-crl");
    });
    server.Get(std::string(wire::kCrlPath) + "/([0-9a-f]{1,64})",
               [&service](const httplib::Request& req, httplib::Response& res) {
                   const auto der = service.crl_der(req.matches[1]);
                   if (!der)
                       return send_problem(res, fail(Errc::not_found,
                                                     "this router holds no intermediate with key "
                                                     "id " +
                                                         std::string(req.matches[1])));
                   res.set_content(std::string(der->begin(), der->end()), "application/pkix-crl");
               });

    server.Post(wire::kEnrolmentsPath,
                [&service, &public_home](const httplib::Request& req, httplib::Response& res) {
                    std::string error;
                    const auto body = wire::parse_enrolment_submit(req.body, error);
                    if (!body) return send_problem(res, fail(Errc::malformed, error));
                    Submission submission{body->csr_pem, body->name_hint, body->ipv4,
                                          source_of(req), req.remote_addr};
                    answer(res, service.submit(submission), 202, public_home);
                });
    server.Get(std::string(wire::kEnrolmentsPath) + "/([0-9a-f]{1,64})",
               [&service, &public_home](const httplib::Request& req, httplib::Response& res) {
                   const std::string token = bearer_token(req);
                   if (token.empty())
                       return send_problem(res, fail(Errc::unauthorized,
                                                     "send the token from the submission as "
                                                     "'Authorization: Bearer <token>'"));
                   answer(res, service.poll(req.matches[1], token), 200, public_home);
               });
    server.Post(wire::kRenewalsPath, [&service, &public_home](const httplib::Request& req,
                                                              httplib::Response& res) {
        std::string error;
        const auto body = wire::parse_renewal_submit(req.body, error);
        if (!body) return send_problem(res, fail(Errc::malformed, error));
        answer(res, service.renew(peer_certificate_der(req), body->csr_pem, source_of(req)), 200,
               public_home);
    });

    server.Put(wire::kAddressPath, [&service](const httplib::Request& req, httplib::Response& res) {
        std::string error;
        const auto body = wire::parse_address_update(req.body, error);
        if (!body) return send_problem(res, fail(Errc::malformed, error));
        const auto result =
            service.update_address(peer_certificate_der(req), body->ipv4, source_of(req));
        if (!result) return send_problem(res, result.error());
        res.status = 204;
    });

    // Anything else, including cpp-httplib's own 413 for an oversized body, gets a problem
    // document rather than an empty page.
    server.set_error_handler([other_errors](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        if (other_errors && other_errors(req, res)) return;
        const int status = res.status;
        if (status == 413)
            send_problem_with_status(
                res,
                fail(Errc::malformed, "the request body is larger than " +
                                          std::to_string(wire::kMaxBodyBytes) + " bytes"),
                status);
        else if (status == 404)
            send_problem(res, fail(Errc::not_found, "no such resource: " + req.path));
        else
            send_problem_with_status(res, fail(Errc::malformed, "the request cannot be served"),
                                     status);
    });
    server.set_exception_handler(
        [other_errors](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
            log_request_exception(req.method, req.path, ep);
            // Details of internal failures stay in the server; the client learns only that it
            // was not its fault.
            res.status = 500;
            if (other_errors && other_errors(req, res)) return;
            send_problem_with_status(
                res, fail(Errc::unavailable, "internal error; see the router's log"), 500);
        });
}

}  // namespace rca
