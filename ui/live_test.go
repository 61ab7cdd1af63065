package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/ui/internal/testgw"
)

// live drives a root model over the real embedded backend. Commands run
// concurrently, as the runtime runs them; their messages are applied on the
// test goroutine until the condition a step waits for holds.
type live struct {
	t    *testing.T
	m    *Model
	api  *recorder
	msgs chan tea.Msg
	done chan struct{}
}

// recorder is the real client, noting every query it is asked to run.
type recorder struct {
	*client.Client
	mu      sync.Mutex
	queries []client.QueryRequest
}

func (r *recorder) Query(ctx context.Context, db string, q client.QueryRequest) (*client.QueryResult, error) {
	r.mu.Lock()
	r.queries = append(r.queries, q)
	r.mu.Unlock()
	return r.Client.Query(ctx, db, q)
}

// since returns the queries asked for after the first n.
func (r *recorder) since(n int) []client.QueryRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]client.QueryRequest(nil), r.queries[min(n, len(r.queries)):]...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queries)
}

// startLive opens a backend on a temporary directory, creates db with setup
// statements, and starts a model sized w×h with db current.
func startLive(t *testing.T, w, h int, opts Options, db string, setup ...string) *live {
	t.Helper()
	return startLiveOn(t, testgw.Start(t, t.TempDir()), w, h, opts, db, setup...)
}

// startLiveOn is startLive over the gateway c talks to.
func startLiveOn(t *testing.T, c *client.Client, w, h int, opts Options, db string, setup ...string) *live {
	t.Helper()
	ctx := context.Background()
	if _, err := c.Spawn(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, s := range setup {
		if _, err := c.Query(ctx, db, client.QueryRequest{SQL: s}); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	opts.Theme = "dark"
	opts.Now = func() time.Time { return fixedNow }
	opts.Refresh = time.Hour
	opts.Database = db
	l := &live{t: t, api: &recorder{Client: c}, msgs: make(chan tea.Msg, 64), done: make(chan struct{})}
	t.Cleanup(func() { close(l.done) })
	l.m = New(l.api, opts)
	l.m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	l.exec(l.m.Init())
	l.until("the schema", func() bool { return l.m.tree.model().Schema() != nil })
	return l
}

// exec runs cmd in the background; its message comes back through msgs.
func (l *live) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		select {
		case l.msgs <- msg:
		case <-l.done:
		}
	}()
}

// until applies messages until cond holds, failing the test after a while.
func (l *live) until(what string, cond func() bool) {
	l.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-l.msgs:
			l.apply(msg)
		case <-deadline:
			l.t.Fatalf("timed out waiting for %s; screen:\n%s", what, l.screen())
		}
	}
}

// drain applies whatever arrives within a short quiet period.
func (l *live) drain() {
	for {
		select {
		case msg := <-l.msgs:
			l.apply(msg)
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}

func (l *live) apply(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, tea.QuitMsg, pollTickMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			l.exec(c)
		}
	default:
		_, cmd := l.m.Update(msg)
		l.exec(cmd)
	}
}

// press sends keys, each applied at once (its commands run in the background).
func (l *live) press(keys ...tea.KeyPressMsg) {
	for _, k := range keys {
		_, cmd := l.m.Update(k)
		l.exec(cmd)
	}
}

// send applies a message (an action, as a pane would emit it).
func (l *live) send(msg tea.Msg) {
	_, cmd := l.m.Update(msg)
	l.exec(cmd)
}

func (l *live) typeText(s string) {
	for _, r := range s {
		l.press(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (l *live) screen() string { return ansi.Strip(l.m.Render()) }

// gridText is what the results grid shows.
func (l *live) gridText() string { return ansi.Strip(l.m.grid.model().View()) }

// status is the status bar's message.
func (l *live) status() string { s, _ := l.m.Status(); return s }
