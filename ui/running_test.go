package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/client"
)

// endless never finishes by itself.
const endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"

// errorsTotal is the database's count of statements that ended in error,
// which the engine bumps only when a statement has really stopped.
func (l *live) errorsTotal(db string) int64 {
	l.t.Helper()
	st, err := l.api.Client.DatabaseStats(context.Background(), db)
	if err != nil {
		l.t.Fatal(err)
	}
	return st.ErrorsTotal
}

func TestCtrlCCancelsRunningQueryThenQuits(t *testing.T) {
	l := startLive(t, 120, 40, Options{}, "shop")
	var clock atomic.Int64
	l.m.opts.Now = func() time.Time { return fixedNow.Add(time.Duration(clock.Load())) }
	before := l.errorsTotal("shop")

	sent := l.api.count()
	l.runInEditor(endless, ctrl('r'))
	l.until("the statement to be sent", func() bool { return l.api.count() > sent })
	if !l.m.queryRunning() {
		t.Fatalf("the statement is not running: %q %v %v", l.status(), l.m.query.busy, l.m.cancels)
	}
	clock.Store(int64(2300 * time.Millisecond))
	l.apply(runTickMsg{id: l.m.query.id})
	if title := l.m.results.title(); !strings.Contains(title, "running… · 2.3s · ctrl+c cancels") {
		t.Fatalf("title while running: %q", title)
	}

	time.Sleep(200 * time.Millisecond) // let SQLite get going
	_, cmd := l.m.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("ctrl+c quit while a query ran")
		}
	}
	cancelled := time.Now()
	if l.m.queryRunning() || !strings.Contains(l.status(), "query cancelled after 2.3s") {
		t.Fatalf("after ctrl+c: running=%v status %q", l.m.queryRunning(), l.status())
	}
	if g := l.gridText(); !strings.Contains(g, "cancelled after 2.3s") {
		t.Fatalf("grid after cancel:\n%s", g)
	}
	if title := l.m.results.title(); strings.Contains(title, "running") || strings.Contains(title, "cancels") {
		t.Fatalf("title after cancel: %q", title)
	}
	// the engine really stopped the statement: it is counted as ended
	for l.errorsTotal("shop") == before {
		if time.Since(cancelled) > time.Second {
			st, _ := l.api.Client.DatabaseStats(context.Background(), "shop")
			t.Fatalf("the statement was still running 1 s after ctrl+c: before %d, now %+v", before, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// the same connection answers the next statement at once
	l.runInEditor("SELECT 6*7 AS answer", ctrl('r'))
	l.waitGrid("the next answer", func() bool { return strings.Contains(l.gridText(), "42") })

	// nothing runs now: ctrl+c quits
	_, cmd = l.m.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if cmd == nil {
		t.Fatal("ctrl+c with nothing running did nothing")
	}
	if _, quit := cmd().(tea.QuitMsg); !quit {
		t.Fatal("ctrl+c with nothing running did not quit")
	}
}

func TestCancelKeyStopsAScript(t *testing.T) {
	l := startLive(t, 80, 24, Options{}, "shop", "CREATE TABLE t (x)")
	l.press(kp("alt+4"))
	l.m.editor.model().SetText("INSERT INTO t VALUES (1);\n" + endless + ";\nINSERT INTO t VALUES (2);")
	sent := l.api.count()
	l.press(kp("f6"))
	l.until("the script to reach the endless statement", func() bool { return l.api.count() >= sent+2 })
	time.Sleep(200 * time.Millisecond)
	l.press(ctrl('x'))
	if l.m.queryRunning() || !strings.Contains(l.status(), "statements before it stay run") {
		t.Fatalf("after ctrl+x: running=%v status %q", l.m.queryRunning(), l.status())
	}
	l.drain()
	res, err := l.api.Client.Query(context.Background(), "shop", queryReq("SELECT group_concat(x) FROM t"))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0][0]; got != "1" {
		t.Fatalf("rows after the cancelled script: %v, want only the first insert; status %q\n%s", got, l.status(), l.screen())
	}
}

func queryReq(sql string) client.QueryRequest { return client.QueryRequest{SQL: sql, Shape: "rows"} }
