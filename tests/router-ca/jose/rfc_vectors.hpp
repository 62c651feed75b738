#pragma once
// Published JOSE examples, copied from the RFCs, shared by the JWK and JWS tests.
#include <nlohmann/json.hpp>
#include <string>

namespace rca::jose::test {

/// RFC 7515 Appendix A.3.1: the ES256 example key's public coordinates.
inline constexpr const char* kRfc7515A3X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
inline constexpr const char* kRfc7515A3Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

/// RFC 7515 Appendix A.3.1 without its private "d".
inline nlohmann::json rfc7515_a3_public_jwk() {
    return {{"kty", "EC"}, {"crv", "P-256"}, {"x", kRfc7515A3X}, {"y", kRfc7515A3Y}};
}

/// RFC 7515 Appendices A.2 and A.3 share this payload (the JWT claims of A.1), base64url.
inline constexpr const char* kRfc7515Payload =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
    "fQ";

/// RFC 7515 Appendix A.3.1: BASE64URL({"alg":"ES256"}) and A.3.1's signature.
inline constexpr const char* kRfc7515A3Protected = "eyJhbGciOiJFUzI1NiJ9";
inline constexpr const char* kRfc7515A3Signature =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

/// RFC 7515 Appendix A.2.1: the RS256 example key's modulus (e is "AQAB").
inline constexpr const char* kRfc7515A2N =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-"
    "4qPCJrcS2mJPMEzP1Pt0Bm4d4Q"
    "lL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbB"
    "YUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DW"
    "NmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

/// RFC 7515 Appendix A.2.1: BASE64URL({"alg":"RS256"}) and the signature.
inline constexpr const char* kRfc7515A2Protected = "eyJhbGciOiJSUzI1NiJ9";
inline constexpr const char* kRfc7515A2Signature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_"
    "O8W2Fp5jujG"
    "bds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_"
    "nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
    "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"
    "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6"
    "LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// RFC 7638 section 3.1: the example RSA key's modulus (e is "AQAB").
inline constexpr const char* kRfc7638N =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
    "BJECPebW"
    "KRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
    "FDW2QvzqY368QQM"
    "icAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2Nc"
    "Rwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

/// RFC 8037 Appendix A.2: the Ed25519 example public key.
inline constexpr const char* kRfc8037X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

inline nlohmann::json rfc8037_public_jwk() {
    return {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", kRfc8037X}};
}

/// RFC 8037 Appendix A.4: BASE64URL({"alg":"EdDSA"}), BASE64URL("Example of Ed25519 signing") and
/// the signature.
inline constexpr const char* kRfc8037Protected = "eyJhbGciOiJFZERTQSJ9";
inline constexpr const char* kRfc8037Payload = "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
inline constexpr const char* kRfc8037Signature =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

/// The flattened JSON serialization of three base64url parts, as an ACME client would send it.
inline std::string flattened(const std::string& protected_b64, const std::string& payload_b64,
                             const std::string& signature_b64) {
    return nlohmann::json{
        {"protected", protected_b64}, {"payload", payload_b64}, {"signature", signature_b64}}
        .dump();
}

}  // namespace rca::jose::test
