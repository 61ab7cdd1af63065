package ui

import (
	"crypto/sha256"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
	"github.com/dbforge/dbforge/internal/viewtest"
)

// TestWrongKeyIsNamedInTheStatusBar runs the real gateway with an admin
// key on a loopback HTTP server; a TUI with another key says so in the
// status bar, in the narrow layout too.
func TestWrongKeyIsNamedInTheStatusBar(t *testing.T) {
	eng, err := engine.Open(engine.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	hash := sha256.Sum256([]byte("dbf_the-right-key"))
	srv := httptest.NewServer(gateway.New(eng, gateway.Options{Version: "test", AdminKeyHash: hash[:]}))
	t.Cleanup(srv.Close)

	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		api := client.New(srv.URL, client.WithAPIKey("dbf_a-wrong-key"), client.WithRetries(0))
		m := New(api, Options{Theme: "dark", Now: func() time.Time { return fixedNow }, Refresh: time.Hour, Mode: srv.URL})
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		run(m, m.Init())
		m.Update(viewtest.RunCmd(m.restartPolling(), 5*time.Second))
		bar := ansi.Strip(m.statusBar())
		if !strings.Contains(bar, "✖ wrong key: check --api-key or DBFORGE_API_KEY") {
			t.Fatalf("%dx%d: status bar %q", size[0], size[1], bar)
		}
	}
	good := client.New(srv.URL, client.WithAPIKey("dbf_the-right-key"), client.WithRetries(0))
	m := New(good, Options{Theme: "dark", Now: func() time.Time { return fixedNow }, Refresh: time.Hour, Mode: srv.URL})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	run(m, m.Init())
	m.Update(viewtest.RunCmd(m.restartPolling(), 5*time.Second)) // a poll over HTTP may take longer than run waits
	if bar := ansi.Strip(m.statusBar()); !strings.Contains(bar, "● connected") {
		t.Fatalf("right key: status bar %q", bar)
	}
}
