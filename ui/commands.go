package ui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/demo"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/views/action"
)

// reqKind groups requests where only the latest answer matters.
type reqKind int

const (
	reqList reqKind = iota
	reqOp
	reqPoll
	reqSeed
	reqQuery
	reqCount
	reqSchema
	reqExplain
	reqHistory
)

// request starts a request of kind: it cancels the previous one of the same
// kind and returns the new id and a context bounded by timeout.
func (m *Model) request(kind reqKind, timeout time.Duration) (int, context.Context) {
	if cancel := m.cancels[kind]; cancel != nil {
		cancel()
	}
	m.nextID++
	m.reqs[kind] = m.nextID
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	m.cancels[kind] = cancel
	return m.nextID, ctx
}

// fresh reports whether id is the latest request of kind, and forgets its
// cancel function once its answer is in.
func (m *Model) fresh(kind reqKind, id int) bool {
	if latest, ok := m.reqs[kind]; !ok || latest != id {
		return false
	}
	if cancel := m.cancels[kind]; cancel != nil {
		cancel()
		delete(m.cancels, kind)
	}
	return true
}

// forget cancels the pending request of kind and drops its answer.
func (m *Model) forget(kind reqKind) {
	if cancel := m.cancels[kind]; cancel != nil {
		cancel()
		delete(m.cancels, kind)
	}
	delete(m.reqs, kind)
}

// listMsg answers a database list request.
type listMsg struct {
	id   int
	list []client.Database
	err  error
}

func (m *Model) loadDatabases() tea.Cmd {
	id, ctx := m.request(reqList, m.opts.Timeout)
	api, all := m.api, m.dbs.m.ShowPruned()
	return func() tea.Msg {
		list, err := safeCall(func() ([]client.Database, error) { return api.ListDatabases(ctx, all) })
		return listMsg{id: id, list: list, err: err}
	}
}

// opMsg answers spawn, prune and delete.
type opMsg struct {
	id      int
	verb    string
	name    string
	message string
	err     error
}

func (m *Model) lifecycle(verb, name string) tea.Cmd {
	id, ctx := m.request(reqOp, m.opts.Timeout)
	api := m.api
	return func() tea.Msg {
		msg, err := safeCall(func() (string, error) {
			switch verb {
			case "prune":
				r, err := api.Prune(ctx, name)
				if err != nil || r == nil {
					return "", err
				}
				return r.Message, nil
			case "delete":
				r, err := api.DeleteDatabase(ctx, name, true)
				if err != nil || r == nil {
					return "", err
				}
				return r.Message, nil
			}
			return "", fmt.Errorf("unknown operation %q", verb)
		})
		return opMsg{id: id, verb: verb, name: name, message: msg, err: err}
	}
}

// spawnDatabase creates (or restarts) a database on the chosen backend;
// a gateway without that backend answers 400 naming the ones it has, which
// the status bar shows as it is.
func (m *Model) spawnDatabase(a action.SpawnDatabase) tea.Cmd {
	on := ""
	if a.Backend != "" {
		on = " on " + sanitize.Line(a.Backend)
	}
	m.setStatus("creating "+sanitize.Line(a.Name)+on+"…", false)
	id, ctx := m.request(reqOp, m.opts.Timeout)
	api := m.api
	return func() tea.Msg {
		msg, err := safeCall(func() (string, error) {
			r, err := api.SpawnWith(ctx, a.Name, client.SpawnOptions{Backend: a.Backend})
			if err != nil || r == nil {
				return "", err
			}
			return r.Message, nil
		})
		return opMsg{id: id, verb: "spawn", name: a.Name, message: msg, err: err}
	}
}

// seedMsg says the demo database is ready (or why it is not).
type seedMsg struct {
	id  int
	err error
}

func (m *Model) seedDemo() tea.Cmd {
	id, ctx := m.request(reqSeed, time.Minute)
	api := m.api
	return func() tea.Msg {
		_, err := safeCall(func() (struct{}, error) { return struct{}{}, demo.Seed(ctx, api, demo.Name) })
		return seedMsg{id: id, err: err}
	}
}

// safeCall turns a panic in a client call (a bug, or a fake in a test) into
// an error, so no answer can take the UI down.
func safeCall[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return fn()
}
