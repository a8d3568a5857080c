package faulttest_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// replicated is a PostgreSQL primary with one streaming hot standby, each a cluster
// of its own in a temporary directory on a free loopback port, started with the
// local server binaries for one test.
type replicated struct {
	t                   *testing.T
	bin, root           string
	primaryPort         int
	replicaPort         int
	asUser              string // run the binaries as this user ("" = as we are)
	primaryURL          string // the test database on the primary
	replicaURL          string // the same database on the standby
	primaryAdm, replAdm *sql.DB
}

// requirePG skips the test with why, or fails it when IKZ_REQUIRE_POSTGRES=1.
func requirePG(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("IKZ_REQUIRE_POSTGRES") == "1" {
		t.Fatalf("%s (IKZ_REQUIRE_POSTGRES=1)", msg)
	}
	t.Skip(msg)
}

// pgBinDir finds the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup).
func pgBinDir() (string, error) {
	var dirs []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	more, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(more) - 1; i >= 0; i-- { // the newest version first
		dirs = append(dirs, more[i])
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("no initdb in %v", dirs)
}

// startReplicated initdb's a primary (wal_level=replica, replication allowed from
// loopback), clones it with pg_basebackup -R into a standby, starts both and creates
// the database ikz. As root the binaries run as the user postgres (PostgreSQL refuses
// to run as root). Both servers are stopped and removed when the test ends.
func startReplicated(t *testing.T) *replicated {
	t.Helper()
	bin, err := pgBinDir()
	if err != nil {
		requirePG(t, "cannot start a streaming replica: PostgreSQL server binaries not found: %v", err)
	}
	r := &replicated{t: t, bin: bin, primaryPort: freePort(t), replicaPort: freePort(t)}
	if os.Geteuid() == 0 {
		r.asUser = "postgres"
	}
	r.root, err = os.MkdirTemp("", "ikz-replica-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(r.root, 0o755); err != nil {
		t.Fatal(err)
	}
	if r.asUser != "" {
		u, err := user.Lookup(r.asUser)
		if err != nil {
			requirePG(t, "cannot start a streaming replica as root: no user %q to run PostgreSQL as: %v", r.asUser, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(r.root, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(r.stop)

	primary, replica := filepath.Join(r.root, "primary"), filepath.Join(r.root, "replica")
	r.pg("initdb", "-D", primary, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	r.appendFile(filepath.Join(primary, "postgresql.conf"), fmt.Sprintf(`
port = %d
listen_addresses = '127.0.0.1'
unix_socket_directories = '%s'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 40
`, r.primaryPort, r.root))
	r.appendFile(filepath.Join(primary, "pg_hba.conf"), "\nhost replication all 127.0.0.1/32 trust\n")
	r.pg("pg_ctl", "-D", primary, "-l", filepath.Join(r.root, "primary.log"), "-w", "-t", "30", "start")

	r.pg("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(r.primaryPort), "-U", "postgres",
		"-D", replica, "-R", "-X", "stream", "-c", "fast", "--no-sync")
	r.appendFile(filepath.Join(replica, "postgresql.conf"), fmt.Sprintf("\nport = %d\n", r.replicaPort))
	r.pg("pg_ctl", "-D", replica, "-l", filepath.Join(r.root, "replica.log"), "-w", "-t", "30", "start")

	url := func(port int, db string) string {
		return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", port, db)
	}
	r.primaryAdm = r.open(url(r.primaryPort, "postgres"))
	r.replAdm = r.open(url(r.replicaPort, "postgres"))
	var standby bool
	if err := r.replAdm.QueryRow("SELECT pg_is_in_recovery()").Scan(&standby); err != nil || !standby {
		t.Fatalf("the replica is not a standby (in recovery %v): %v", standby, err)
	}
	if _, err := r.primaryAdm.Exec("CREATE DATABASE ikz"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	r.primaryURL, r.replicaURL = url(r.primaryPort, "ikz"), url(r.replicaPort, "ikz")
	r.waitCaughtUp()
	return r
}

// pg runs one of the server binaries, as the postgres user when we are root.
func (r *replicated) pg(name string, args ...string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	path := filepath.Join(r.bin, name)
	var cmd *exec.Cmd
	switch {
	case r.asUser == "":
		cmd = exec.CommandContext(ctx, path, args...)
	case lookPath("runuser"):
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", r.asUser, "--", path}, args...)...)
	default:
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		cmd = exec.CommandContext(ctx, "su", r.asUser, "-s", "/bin/sh", "-c", path+" "+strings.Join(quoted, " "))
	}
	cmd.Dir = r.root
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, r.logs())
	}
}

func lookPath(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

// appendFile adds text to a file the server owns.
func (r *replicated) appendFile(path, text string) {
	r.t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		r.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		r.t.Fatal(err)
	}
}

func (r *replicated) open(url string) *sql.DB {
	r.t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		r.t.Fatal(err)
	}
	db.SetMaxOpenConns(2)
	return db
}

// waitCaughtUp waits until the standby has replayed everything the primary wrote so
// far.
func (r *replicated) waitCaughtUp() {
	r.t.Helper()
	var lsn string
	if err := r.primaryAdm.QueryRow("SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
		r.t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var done bool
		err := r.replAdm.QueryRow("SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", lsn).Scan(&done)
		if err == nil && done {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("the replica did not replay up to %s within 15 s (%v)%s", lsn, err, r.logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pauseReplay stops the standby applying WAL: from now on it shows an older state.
func (r *replicated) pauseReplay() {
	r.t.Helper()
	if _, err := r.replAdm.Exec("SELECT pg_wal_replay_pause()"); err != nil {
		r.t.Fatal(err)
	}
}

// resumeReplay lets the standby catch up again.
func (r *replicated) resumeReplay() {
	r.t.Helper()
	if _, err := r.replAdm.Exec("SELECT pg_wal_replay_resume()"); err != nil {
		r.t.Fatal(err)
	}
}

// logs returns both servers' logs for a failure report.
func (r *replicated) logs() string {
	var b strings.Builder
	for _, name := range []string{"primary.log", "replica.log"} {
		if raw, err := os.ReadFile(filepath.Join(r.root, name)); err == nil {
			fmt.Fprintf(&b, "\n--- %s ---\n%s", name, raw)
		}
	}
	return b.String()
}

// stop stops both servers at once and removes their directories.
func (r *replicated) stop() {
	for _, db := range []*sql.DB{r.primaryAdm, r.replAdm} {
		if db != nil {
			db.Close()
		}
	}
	if r.t.Failed() {
		r.t.Log(r.logs())
	}
	for _, dir := range []string{"replica", "primary"} {
		if _, err := os.Stat(filepath.Join(r.root, dir, "postmaster.pid")); err == nil {
			r.pg("pg_ctl", "-D", filepath.Join(r.root, dir), "-m", "immediate", "-w", "stop")
		}
	}
	os.RemoveAll(r.root)
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	_, port, err := net.SplitHostPort(freeAddr(t))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(port)
	return n
}
