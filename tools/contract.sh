#!/usr/bin/env bash
# Third-party contract checks against the built binary, run by .ci/run after `npm ci` in
# tools/ (and runnable by hand from the repository root):
#
#   tools/contract.sh PATH/TO/ikz-verzeichnis
#
# 1. swagger-parser: docs/swagger.json is valid Swagger 2.0.
# 2. Prism (validating proxy, --errors) in front of a freshly seeded server; the Go
#    client's end-to-end test (internal/clientcheck/e2e_test.go) runs through it. Any request or
#    answer Prism flags fails.
# 3. Portman turns the served /openapi.json into contract tests (tools/portman-config.json,
#    plus tools/portman-examples.mjs: every query parameter with an example is sent);
#    Newman runs them against another freshly seeded server. Any failed assertion fails.
#    Every operation is sent with its examples by an admin, in the order a resource
#    lives (globals.orderOfOperations: creates, reads, changes, transitions, deletes,
#    restores; the order of internal/httpapi/examples_test.go); the id of the token the
#    create example made is assigned to the revoke. The change stream (SSE, never ends)
#    is left out.
#
# Each server runs on SQLite in a temporary directory, on a free loopback port.
set -euo pipefail

bin=${1:?usage: tools/contract.sh PATH/TO/ikz-verzeichnis}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
pids=()

cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	printf 'contract: FAILED: %s\n' "$*" >&2
	exit 1
}

# free_port prints a loopback port nobody listens on.
free_port() {
	local p
	for p in $(shuf -i 20000-40000 -n 200); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	fail "no free port"
}

# wait_http URL: until it answers (30 s).
wait_http() {
	for _ in $(seq 1 120); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.25
	done
	return 1
}

# serve NAME: a freshly seeded server on SQLite; sets url and db.
serve() {
	local port
	port=$(free_port)
	db="sqlite:$work/$1.db"
	url="http://127.0.0.1:$port"
	IKZ_DATABASE_URL="$db" IKZ_LISTEN_ADDR="127.0.0.1:$port" IKZ_LOG_LEVEL=warn \
		"$bin" serve >"$work/$1-server.log" 2>&1 &
	pids+=($!)
	wait_http "$url/readyz" || { cat "$work/$1-server.log"; fail "the $1 server did not become ready"; }
}

# token NAME ROLE: creates an API token on the database of the last server.
token() {
	IKZ_DATABASE_URL="$db" "$bin" token create --name "$1" --role "$2" | tail -1
}

echo "contract: swagger-parser on docs/swagger.json"
(cd tools && node swagger2-check.mjs "$root/docs/swagger.json") || fail "docs/swagger.json is not valid Swagger 2.0"

echo "contract: Prism validating proxy in front of the Go client's end-to-end test"
serve prism
admin=$(token e2e-admin admin)
controlling=$(token e2e-controlling controlling)
proxy_port=$(free_port)
(cd tools && exec npx prism proxy --errors --host 127.0.0.1 --port "$proxy_port" "$root/api/openapi.json" "$url") \
	>"$work/prism.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$proxy_port/healthz" || { cat "$work/prism.log"; fail "Prism did not start"; }
e2e_rc=0
IKZ_E2E_URL="http://127.0.0.1:$proxy_port" IKZ_E2E_ADMIN_TOKEN="$admin" IKZ_E2E_CONTROLLING_TOKEN="$controlling" \
	go test -count=1 -run '^TestClientEndToEnd$' ./internal/clientcheck || e2e_rc=$?
requests=$(grep -c 'Request received' "$work/prism.log" || true)
violations=$(grep -c 'Violation' "$work/prism.log" || true)
echo "contract: Prism saw $requests requests and flagged $violations violations"
if [[ $violations -gt 0 || $e2e_rc -ne 0 ]]; then
	grep -B4 'Violation' "$work/prism.log" | head -80 || true
	fail "Prism flagged $violations violations (end-to-end test exit $e2e_rc)"
fi

echo "contract: Portman contract tests from /openapi.json, run with Newman"
serve portman
admin=$(token portman-admin admin)
curl -fsS "$url/openapi.json" -o "$work/openapi.json"
# The live change stream (Server-Sent Events) never ends, so a request/response runner
# waits on it forever: it is left out here and tested by internal/httpapi's stream tests.
node -e '
const fs = require("fs"), f = process.argv[1], spec = JSON.parse(fs.readFileSync(f, "utf8"));
if (!spec.paths["/api/v1/changes/stream"]) { console.error("no /api/v1/changes/stream in the spec"); process.exit(1); }
delete spec.paths["/api/v1/changes/stream"];
fs.writeFileSync(f, JSON.stringify(spec));
' "$work/openapi.json" || fail "could not leave the change stream out of the Portman tests"
node tools/portman-examples.mjs tools/portman-config.json "$work/openapi.json" >"$work/portman-config.json"
# Portman writes scratch files under ./tmp: run it in the work directory.
(cd "$work" && "$root/tools/node_modules/.bin/portman" --local "$work/openapi.json" --baseUrl "$url" \
	--portmanConfigFile "$work/portman-config.json" --output "$work/collection.json" >"$work/portman.log" 2>&1) ||
	{ cat "$work/portman.log"; fail "Portman could not generate the contract tests"; }
newman_rc=0
(cd tools && npx newman run "$work/collection.json" --env-var "baseUrl=$url" --env-var "bearerToken=$admin" \
	--reporters cli,json --reporter-json-export "$work/newman.json" --color off) >"$work/newman.log" 2>&1 || newman_rc=$?
[[ -s "$work/newman.json" ]] || { tail -40 "$work/newman.log"; fail "Newman did not run"; }
node -e '
const r = require(process.argv[1]).run;
const a = r.stats.assertions, q = r.stats.requests;
console.log(`contract: Newman sent ${q.total} requests; ${a.total - a.failed} of ${a.total} assertions passed`);
for (const f of r.failures) console.log(`  FAILED ${f.error.test}: ${String(f.error.message).slice(0, 300)}`);
' "$work/newman.json"
[[ $newman_rc -eq 0 ]] || { tail -40 "$work/newman.log"; fail "Portman/Newman contract tests failed"; }
echo "contract: ok"
