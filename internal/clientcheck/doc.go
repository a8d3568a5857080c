// Package clientcheck holds no code, only the end-to-end test of the generated Go
// client (client/, a module of its own): it drives a seeded server through the client
// on SQLite and PostgreSQL, or the server at IKZ_E2E_URL (tools/contract.sh). The test
// lives in the main module, which requires the client through a replace of ./client,
// so that the client's go.mod names only what the client itself imports.
package clientcheck
