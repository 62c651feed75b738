#include "cli/acme_commands.hpp"

#include <cstdio>
#include <iostream>

namespace rca::cli {
namespace {

using nlohmann::json;

void print_accounts(const json& accounts) {
    std::printf("%-32s %-8s %-11s %-20s %s\n", "ACCOUNT", "APPROVAL", "STATUS", "CREATED",
                "CONTACT");
    for (const auto& a : accounts) {
        std::string contact;
        for (const auto& c : a["contact"])
            contact += (contact.empty() ? "" : ",") + c.get<std::string>();
        std::printf("%-32s %-8s %-11s %-20s %s\n", a.value("id", "").c_str(),
                    a.value("approval", "").c_str(), a.value("status", "").c_str(),
                    a.value("created_at", "").c_str(), contact.c_str());
    }
}

}  // namespace

int run_acme(const Args& args) {
    const auto& words = args.positional;
    const std::string sub = words.empty() ? "" : words[0];
    const size_t wants = sub == "approve" || sub == "release" ? 2 : 1;
    if ((sub != "accounts" && sub != "approve" && sub != "eab-create" && sub != "release") ||
        words.size() != wants) {
        std::cerr << "usage: router-ca acme accounts | approve ACCOUNT-ID | eab-create | "
                     "release NAME  [--data-dir DIR] [--json]\n";
        return kExitUsage;
    }
    json request{{"cmd", "acme-" + sub}};
    if (sub == "approve") request["id"] = words[1];
    if (sub == "release") request["name"] = words[1];
    const auto reply = call(args, request);
    if (!reply) return kExitFailed;
    if (args.json_output) {
        std::cout << reply->dump(2) << "\n";
        return 0;
    }
    if (sub == "accounts") {
        print_accounts((*reply)["accounts"]);
    } else if (sub == "approve") {
        std::printf("approved account %s: it may order certificates now\n", words[1].c_str());
    } else if (sub == "eab-create") {
        const std::string kid = reply->value("kid", "");
        const std::string key = reply->value("hmac_key", "");
        std::printf("key id:   %s\nhmac key: %s\n\n", kid.c_str(), key.c_str());
        std::printf("lego:     --eab --kid=%s --hmac=%s\n", kid.c_str(), key.c_str());
        std::printf("certbot:  --eab-kid=%s --eab-hmac-key=%s\n", kid.c_str(), key.c_str());
        std::printf("It makes one account; keep it secret until the client has used it.\n");
    } else {
        std::printf(
            "released %s: revoked %zu certificate(s); the next ACME account to validate it "
            "owns it\n",
            words[1].c_str(), (*reply)["serials"].size());
    }
    return 0;
}

}  // namespace rca::cli
