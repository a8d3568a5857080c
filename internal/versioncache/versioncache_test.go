package versioncache

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// answer is a kept value with something a caller could change.
type answer struct {
	Total int64
	Items []string
}

func key(s string) Key { return sha256.Sum256([]byte(s)) }

func cloneAnswer(a answer) answer {
	a.Items = append([]string(nil), a.Items...)
	return a
}

// The cache keeps at most its size of answers, the least recently used leaving first,
// and only answers of the newest data version.
func TestCacheEvictsAndFollowsVersions(t *testing.T) {
	c := New(2, cloneAnswer)
	ctx := context.Background()
	runs := 0
	at := func(v int64, total int64) func() (answer, int64, error) {
		return func() (answer, int64, error) {
			runs++
			return answer{Total: total}, v, nil
		}
	}
	for _, k := range []string{"a", "b", "a", "c"} { // c evicts b, the least recently used
		if _, err := c.Do(ctx, key(k), 1, at(1, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if runs != 3 {
		t.Errorf("%d computations for a, b, a, c; want 3", runs)
	}
	if _, err := c.Do(ctx, key("b"), 1, at(1, 1)); err != nil || runs != 4 {
		t.Errorf("b after eviction: %d computations, %v", runs, err)
	}
	// A newer version empties the cache; an answer read at an older one (a lagging
	// replica) is not kept.
	if _, err := c.Do(ctx, key("a"), 2, at(1, 1)); err != nil || runs != 5 {
		t.Fatalf("a at version 2: %d computations, %v", runs, err)
	}
	if _, err := c.Do(ctx, key("a"), 2, at(2, 2)); err != nil || runs != 6 {
		t.Fatalf("a at version 2 again: %d computations (the older answer was kept?), %v", runs, err)
	}
	if r, err := c.Do(ctx, key("a"), 2, at(2, 3)); err != nil || runs != 6 || r.Total != 2 {
		t.Errorf("a from the cache: total %d after %d computations, %v", r.Total, runs, err)
	}
	if hits, misses, size := c.Stats(); hits != 2 || misses != 6 || size != 2 {
		t.Errorf("hits %d, misses %d, size %d; want 2, 6, 2", hits, misses, size)
	}
}

// Requests for the same answer at the same time run one computation; when that fails,
// the others run it themselves.
func TestCacheComputesOnceForMany(t *testing.T) {
	c := New(10, cloneAnswer)
	var runs atomic.Int32
	release := make(chan struct{})
	compute := func() (answer, int64, error) {
		runs.Add(1)
		<-release
		return answer{Total: 7}, 1, nil
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if r, err := c.Do(context.Background(), key("x"), 1, compute); err != nil || r.Total != 7 {
				t.Errorf("answer %d, %v", r.Total, err)
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("%d computations for 8 requests at once, want 1", n)
	}

	failed := errors.New("client gone")
	block := make(chan struct{})
	leader := func() (answer, int64, error) { <-block; return answer{}, 0, failed }
	done := make(chan error)
	go func() { _, err := c.Do(context.Background(), key("y"), 1, leader); done <- err }()
	time.Sleep(20 * time.Millisecond)
	go func() { close(block) }()
	r, err := c.Do(context.Background(), key("y"), 1, func() (answer, int64, error) { return answer{Total: 9}, 1, nil })
	if err != nil || r.Total != 9 {
		t.Errorf("follower of a failed computation: %d, %v", r.Total, err)
	}
	if err := <-done; !errors.Is(err, failed) {
		t.Errorf("leader: %v", err)
	}
}

// An answer handed out is a copy: a caller that changes it changes no kept answer.
func TestCacheAnswersCopied(t *testing.T) {
	c := New(1, cloneAnswer)
	compute := func() (answer, int64, error) { return answer{Total: 1, Items: []string{"a"}}, 1, nil }
	r, _ := c.Do(context.Background(), key("k"), 1, compute)
	r.Items[0] = "changed"
	again, _ := c.Do(context.Background(), key("k"), 1, compute)
	if again.Items[0] != "a" {
		t.Errorf("a caller changed the kept answer: %+v", again)
	}
}
