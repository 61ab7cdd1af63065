package viewtest

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// CheckSize asserts the View contract: view is exactly h lines of w cells
// each, and empty when h is 0.
func CheckSize(t testing.TB, view string, w, h int) {
	t.Helper()
	if h == 0 {
		if view != "" {
			t.Fatalf("0-height view = %q", view)
		}
		return
	}
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%d×%d view has %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%d×%d view: line %d is %d cells: %q", w, h, i, got, ansi.Strip(l))
		}
	}
}

// RunCmd runs cmd and returns its message, or nil when cmd is nil or has
// not answered within wait (timers such as a cursor blink sleep).
func RunCmd(cmd tea.Cmd, wait time.Duration) tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(wait):
		return nil
	}
}
