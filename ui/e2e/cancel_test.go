package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/embedded"
	"github.com/dbforge/dbforge/ui"
	"github.com/dbforge/dbforge/ui/internal/testgw"
)

// endless never finishes by itself.
const endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"

// TestCancelledContextInterruptsTheStatement checks the path ctrl+c relies
// on, through the embedded transport and over real HTTP: cancelling a
// call's context makes the engine stop the statement (the engine counts a
// statement only once it has ended), well before the query timeout.
func TestCancelledContextInterruptsTheStatement(t *testing.T) {
	dir := t.TempDir()
	b, err := embedded.Open(dir, embedded.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	srv := httptest.NewServer(b.Handler())
	t.Cleanup(srv.Close)
	for name, c := range map[string]*client.Client{
		"embedded": client.New(embedded.BaseURL, client.WithTransport(b.Transport()), client.WithRetries(0)),
		"http":     client.New(srv.URL, client.WithRetries(0)),
	} {
		t.Run(name, func(t *testing.T) {
			bg := context.Background()
			if _, err := c.Spawn(bg, name); err != nil {
				t.Fatal(err)
			}
			before, err := c.DatabaseStats(bg, name)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(bg)
			errc := make(chan error, 1)
			go func() {
				_, err := c.Query(ctx, name, client.QueryRequest{SQL: endless, Limit: 200, Shape: "rows"})
				errc <- err
			}()
			time.Sleep(300 * time.Millisecond)
			cancel()
			cancelled := time.Now()
			select {
			case err := <-errc:
				if err == nil {
					t.Fatal("the endless statement answered")
				}
			case <-time.After(time.Second):
				t.Fatal("the call did not return 1 s after its context was cancelled")
			}
			for {
				st, err := c.DatabaseStats(bg, name)
				if err != nil {
					t.Fatal(err)
				}
				if st.QueriesTotal > before.QueriesTotal {
					break
				}
				if time.Since(cancelled) > time.Second {
					t.Fatalf("the engine still ran the statement 1 s after the cancel: %+v", st)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// TestCtrlCCancelsAnEndlessQuery is the flow: run an endless query, see its
// clock in the results title, ctrl+c stops it in under a second, the next
// query runs, ctrl+c with nothing running quits.
func TestCtrlCCancelsAnEndlessQuery(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			api := testgw.Start(t, t.TempDir())
			m := ui.New(api, ui.Options{Mode: "embedded", Theme: "dark", SeedDemo: true, Refresh: time.Hour})
			scr := &screens{}
			tm := teatest.NewTestModel(t, probe{m: m, rec: scr}, teatest.WithInitialTermSize(size[0], size[1]))
			t.Cleanup(func() { _ = tm.Quit() })
			scr.wait(t, "created the demo database")

			tm.Type("4")
			tm.Type(endless)
			keys(tm, tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}, tea.KeyPressMsg{Code: '5', Mod: tea.ModAlt})
			scr.wait(t, "running…", "ctrl+c cancels")
			time.Sleep(300 * time.Millisecond)
			start := time.Now()
			keys(tm, tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
			scr.wait(t, "query cancelled after")
			if took := time.Since(start); took > time.Second {
				t.Fatalf("cancel took %v", took)
			}
			if strings.Contains(scr.current(), "ctrl+c cancels") {
				t.Fatal("the title still offers to cancel")
			}
			keys(tm, tea.KeyPressMsg{Code: '4', Mod: tea.ModAlt}, tea.KeyPressMsg{Code: 'a', Mod: tea.ModAlt})
			tm.Type("SELECT 'after' || 'wards' AS w")
			keys(tm, tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}, tea.KeyPressMsg{Code: '5', Mod: tea.ModAlt})
			scr.wait(t, "afterwards")
			keys(tm, tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
			tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
		})
	}
}
