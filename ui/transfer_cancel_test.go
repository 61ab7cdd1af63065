//go:build unix

package ui

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/dbforge/dbforge/internal/app"
	"github.com/dbforge/dbforge/views/action"
)

// ctrl+x cancels an import whose upload is still streaming: the status
// says so, and the table the import would have created does not exist.
func TestTransferCancelKeepsNothing(t *testing.T) {
	x := startXfer(t)
	fifo := filepath.Join(t.TempDir(), "slow.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// The writer keeps the pipe open, so the import waits for more rows
	// until it is cancelled.
	opened := make(chan *os.File, 1)
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			opened <- nil
			return
		}
		w.WriteString("id,label\n1,one\n2,two\n")
		opened <- w
	}()
	x.apply(action.ImportFile{DB: "shop", Table: "slow", Path: fifo, Format: app.CSV})
	var w *os.File
	x.until("the import to open the pipe", func() bool {
		select {
		case w = <-opened:
			return true
		default:
			return false
		}
	})
	if w == nil {
		t.Fatal("could not open the pipe for writing")
	}
	defer w.Close()
	if len(x.m.running) != 1 {
		t.Fatalf("%d transfers running, want 1", len(x.m.running))
	}
	x.apply(tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl})
	x.waitStatus(func(s string) bool { return strings.Contains(s, "cancelled") })
	if s, isErr := x.m.Status(); isErr || !strings.Contains(s, "import of slow.csv cancelled; nothing was kept") {
		t.Fatalf("status %q (error %v)", s, isErr)
	}
	if len(x.m.running) != 0 {
		t.Fatal("the cancelled transfer is still listed as running")
	}
	if rows := x.rows("SELECT count(*) FROM sqlite_master WHERE name = 'slow'"); rows[0][0] != int64(0) {
		t.Fatalf("a cancelled import left table slow behind: %v", rows)
	}
}
