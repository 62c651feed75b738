// botan-verify ROOT INTERMEDIATE LEAF tls|any: Botan's own path validation (x509_path_validate)
// of LEAF through INTERMEDIATE to ROOT, for a TLS server or for no particular usage (Botan 2 has
// none for e-mail or code signing). Prints "accepted" and exits 0, or "refused: why" and exits 1.
// For tests/e2e/verifier_matrix_test.sh.
#include <botan/certstor.h>
#include <botan/x509path.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: botan-verify ROOT INTERMEDIATE LEAF tls|any\n";
        return 2;
    }
    try {
        const Botan::X509_Certificate root(argv[1]);
        const Botan::X509_Certificate intermediate(argv[2]);
        const Botan::X509_Certificate leaf(argv[3]);
        Botan::Certificate_Store_In_Memory anchors(root);
        const auto usage = std::string(argv[4]) == "tls" ? Botan::Usage_Type::TLS_SERVER_AUTH
                                                         : Botan::Usage_Type::UNSPECIFIED;
        const auto result = Botan::x509_path_validate(
            {leaf, intermediate}, Botan::Path_Validation_Restrictions(), anchors, "", usage);
        if (result.successful_validation()) {
            std::cout << "accepted\n";
            return 0;
        }
        std::cout << "refused: " << result.result_string() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cout << "refused: " << e.what() << "\n";
        return 1;
    }
}
