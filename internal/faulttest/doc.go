// Package faulttest holds the service's fault tests; it has no code of its own, only
// tests, run with the rest (go test ./...):
//
//   - the database goes away under load (a TCP proxy between service and PostgreSQL
//     is cut and restored): 503 problem+json with Retry-After, /readyz 503, nothing
//     hangs beyond the request timeout, everything answers again within 5 s;
//   - kill -9 of the service in the middle of a stream of writes: after a restart
//     every acknowledged write is there, none is half-written;
//   - SIGTERM under load: in-flight requests complete, new connections are refused,
//     exit 0 within the grace period;
//   - read replicas: a real streaming replica, started from the local PostgreSQL
//     binaries, takes the reads while writes, the change feed and the reads of a
//     writing request go to the primary.
//
// The tests run the real binary (built once per run with go build) or the real
// router, on PostgreSQL only, on loopback only, each bounded in time. Without a
// reachable PostgreSQL they are skipped — or fail with IKZ_REQUIRE_POSTGRES=1, as in
// CI.
package faulttest
