#!/usr/bin/env bash
# The admin API's defences with curl: setup needs the code and runs once; every state change
# refuses a request without a session (401), without the CSRF token (403) and with a foreign
# Origin (403); reads need a session; the 11th bad login in a minute is refused with 429.
source "$(dirname "$0")/webui_lib.sh"
start_router security
A=/api/v1/admin
JAR="$WORK/jar"
call() {  # call METHOD PATH [curl args]: prints the status
  local m=$1 p=$2; shift 2
  curl -s -o "$WORK/body" -w '%{http_code}' --cacert "$ROUTER_DIR/ca/root.pem" -X "$m" \
    -H 'Content-Type: application/json' "$ROUTER_URL$p" "$@"
}
expect() {  # expect CODE WHAT METHOD PATH [curl args]
  local want=$1 what=$2; shift 2
  local got; got=$(call "$@")
  [ "$got" = "$want" ] || fail "$what: $1 $2 gave $got, expected $want: $(cat "$WORK/body")"
}

CODE=$(rca setup-code)
expect 401 "wrong setup code" POST $A/setup -d '{"code":"AAAA-AAAA-AAAA-AAAA","password":"long enough pw"}'
expect 403 "setup from a foreign origin" POST $A/setup -H 'Origin: https://evil.example' \
  -d "{\"code\":\"$CODE\",\"password\":\"long enough pw\"}"
expect 400 "a short password" POST $A/setup -d "{\"code\":\"$CODE\",\"password\":\"short\"}"
expect 409 "another domain" POST $A/setup -d "{\"code\":\"$CODE\",\"password\":\"long enough pw\",\"domain\":\"example.com\"}"
expect 201 "setup" POST $A/setup -c "$JAR" -D "$WORK/setup.h" \
  -d "{\"code\":\"$CODE\",\"password\":\"long enough pw\",\"domain\":\"home.arpa\"}"
grep -i '^Set-Cookie: __Host-rca_session=[0-9a-f]\{64\}; Path=/; Secure; HttpOnly; SameSite=Strict' "$WORK/setup.h" >/dev/null ||
  fail "session cookie attributes: $(grep -i set-cookie "$WORK/setup.h")"
TOKEN=$(json_get "$WORK/body" csrf_token)
expect 409 "setup a second time" POST $A/setup -d "{\"code\":\"$CODE\",\"password\":\"other password\"}"
if rca setup-code >/dev/null 2>&1; then fail "setup-code still answers after setup"; fi
ok "setup needs the code, confirms the domain, sets a __Host- Secure HttpOnly SameSite=Strict cookie, and runs once"

for path in status devices audit session acme/accounts; do
  expect 401 "read without a session" GET "$A/$path"
  expect 200 "read with a session" GET "$A/$path" -b "$JAR"
done
ok "reads need a session"

# Every state-changing endpoint, with a body it would accept.
CHANGES=(
  "POST $A/pairing {}"
  "POST $A/requests/0123456789abcdef0123456789abcdef/approve {}"
  "POST $A/requests/0123456789abcdef0123456789abcdef/deny {}"
  "POST $A/devices/camera/revoke {}"
  "POST $A/devices/camera/rename {\"name\":\"cam2\"}"
  "DELETE $A/devices/camera {}"
  "POST $A/backup {\"passphrase\":\"a long passphrase\"}"
  "POST $A/acme/accounts/0123456789abcdef0123456789abcdef/approve {}"
  "POST $A/acme/eab {}"
  "POST $A/acme/names/nas/release {}"
  "POST $A/logout {}"
)
ORIGIN="https://127.0.0.1:$ROUTER_PORT"
# A wrong token differs from the real one in its last character, whatever that character is.
case "$TOKEN" in *0) WRONG_TOKEN="${TOKEN%?}1" ;; *) WRONG_TOKEN="${TOKEN%?}0" ;; esac
for change in "${CHANGES[@]}"; do
  read -r m p body <<<"$change"
  expect 401 "no session" "$m" "$p" -H "X-CSRF-Token: $TOKEN" -d "$body"
  expect 403 "no CSRF token" "$m" "$p" -b "$JAR" -d "$body"
  expect 403 "wrong CSRF token" "$m" "$p" -b "$JAR" -H "X-CSRF-Token: $WRONG_TOKEN" -d "$body"
  expect 403 "foreign Origin" "$m" "$p" -b "$JAR" -H "X-CSRF-Token: $TOKEN" \
    -H "Origin: https://evil.example" -d "$body"
  expect 403 "null Origin" "$m" "$p" -b "$JAR" -H "X-CSRF-Token: $TOKEN" -H "Origin: null" -d "$body"
done
ok "all ${#CHANGES[@]} state-changing endpoints: 401 without a session, 403 without or with a wrong CSRF token, 403 for a foreign or null Origin"

expect 200 "pairing with session, token and own Origin" POST $A/pairing -b "$JAR" \
  -H "X-CSRF-Token: $TOKEN" -H "Origin: $ORIGIN" -d '{"seconds":5}'
expect 404 "revoke an unknown device" POST $A/devices/camera/revoke -b "$JAR" -H "X-CSRF-Token: $TOKEN" -d '{}'
grep -q '"type":"urn:router-ca:problem:not-found"' "$WORK/body" || fail "not a problem document: $(cat "$WORK/body")"
for body in '{"reason":"cACompromise"}' '{"reason":1}' '[]'; do
  expect 400 "revoke with $body" POST $A/devices/camera/revoke -b "$JAR" -H "X-CSRF-Token: $TOKEN" -d "$body"
done
grep -q '"status":400' "$WORK/body" || fail "not a problem document: $(cat "$WORK/body")"

# The ACME routes (docs/acme.md): the same commands as `router-ca acme ...`.
expect 200 "ACME accounts" GET $A/acme/accounts -b "$JAR"
grep -qx '{"accounts":\[\]}' "$WORK/body" || fail "ACME accounts of a new router: $(cat "$WORK/body")"
expect 404 "approve an unknown ACME account" POST $A/acme/accounts/0123456789abcdef0123456789abcdef/approve \
  -b "$JAR" -H "X-CSRF-Token: $TOKEN" -d '{}'
expect 404 "approve an id that is not 32 hex digits" POST $A/acme/accounts/0123456789ABCDEF0123456789ABCDEF/approve \
  -b "$JAR" -H "X-CSRF-Token: $TOKEN" -d '{}'
expect 404 "release a name no account owns" POST $A/acme/names/nas/release -b "$JAR" \
  -H "X-CSRF-Token: $TOKEN" -d '{}'
grep -q '"type":"urn:router-ca:problem:not-found"' "$WORK/body" || fail "not a problem document: $(cat "$WORK/body")"
expect 201 "a new EAB key" POST $A/acme/eab -b "$JAR" -H "X-CSRF-Token: $TOKEN" -H "Origin: $ORIGIN" -d '{}'
kid=$(json_get "$WORK/body" kid)
hmac=$(json_get "$WORK/body" hmac_key)
[[ "$kid" == eab-* ]] && [ ${#hmac} = 43 ] || fail "EAB answer: $(cat "$WORK/body")"
! grep -qF "$hmac" "$WORK/security.log" || fail "the daemon logged the EAB HMAC key"
rca acme accounts >/dev/null || fail "router-ca acme accounts failed beside the UI"
ok "ACME routes: accounts listed, unknown account or name 404, an id that is not 32 lowercase hex digits matches no route, a new EAB key (201, kid $kid) is not logged"

expect 204 "logout" POST $A/logout -b "$JAR" -H "X-CSRF-Token: $TOKEN" -d '{}'
expect 401 "the session after logout" GET $A/status -b "$JAR"
ok "with session, token and its own Origin a change is served; errors are RFC 7807; logout ends the session"

for i in $(seq 1 10); do
  expect 401 "bad login $i" POST $A/login -d '{"password":"not the password"}'
done
code=$(call POST $A/login -D "$WORK/429.h" -d '{"password":"long enough pw"}')
[ "$code" = 429 ] || fail "the 11th login in a minute gave $code"
grep -qi '^Retry-After: [0-9]' "$WORK/429.h" || fail "429 without Retry-After"
ok "the 11th login within a minute is refused with 429 and $(grep -i '^Retry-After' "$WORK/429.h" | tr -d '\r')"

# The throttle is per client address: another loopback address may still log in.
expect 200 "login from another address" POST $A/login --interface 127.0.0.2 -c "$JAR" \
  -d '{"password":"long enough pw"}'
ok "the throttle is per client: 127.0.0.2 still logs in"

echo "a new password 123" | rca passwd >/dev/null || fail "router-ca passwd failed"
expect 401 "the session after passwd" GET $A/status -b "$JAR"
expect 401 "the old password after passwd" POST $A/login --interface 127.0.0.3 -d '{"password":"long enough pw"}'
expect 200 "the new password" POST $A/login --interface 127.0.0.3 -d '{"password":"a new password 123"}'
ok "router-ca passwd replaces the password and logs every session out"
finish
