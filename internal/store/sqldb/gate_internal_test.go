package sqldb

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The gate lets waiters in in the order they came (database/sql's pool does not).
func TestFIFOGateOrder(t *testing.T) {
	g := make(gate, 1)
	if err := g.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	const waiters = 5
	order := make(chan int, waiters)
	for i := 0; i < waiters; i++ {
		go func() {
			if err := g.enter(context.Background()); err != nil {
				t.Error(err)
				return
			}
			order <- i
			g.leave()
		}()
		// Let waiter i block before i+1 starts: the order of arrival is the test's.
		time.Sleep(50 * time.Millisecond)
	}
	g.leave()
	for want := 0; want < waiters; want++ {
		if got := <-order; got != want {
			t.Fatalf("waiter %d entered as number %d: not first come, first served", got, want)
		}
	}
}

// A waiter whose request ends gives up its turn without taking a place.
func TestFIFOGateContext(t *testing.T) {
	g := make(gate, 1)
	if err := g.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := g.enter(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("enter on a full gate after the deadline: %v, want DeadlineExceeded", err)
	}
	g.leave()
	if err := g.enter(context.Background()); err != nil {
		t.Fatalf("the gate lost a place to a waiter that gave up: %v", err)
	}
}
