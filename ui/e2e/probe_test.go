package e2e

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/ui"
)

// probe wraps the root model and records every screen it draws (colour
// stripped). Checking screens instead of the terminal byte stream keeps the
// tests independent of how the renderer diffs lines.
type probe struct {
	m   *ui.Model
	rec *screens
}

type screens struct {
	mu     sync.Mutex
	all    []string
	last   string
	errors []string // status-bar messages shown as errors
}

func (s *screens) addError(status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errors) == 0 || s.errors[len(s.errors)-1] != status {
		s.errors = append(s.errors, status)
	}
}

func (p probe) Init() tea.Cmd { return p.m.Init() }

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.m.Update(msg)
	p.rec.add(ansi.Strip(p.m.Render()))
	if status, isErr := p.m.Status(); isErr {
		p.rec.addError(status)
	}
	return p, cmd
}

func (p probe) View() tea.View { return p.m.View() }

func (s *screens) add(screen string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if screen != s.last {
		s.all = append(s.all, screen)
		s.last = screen
	}
}

// current is the latest screen.
func (s *screens) current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// ever reports whether any screen so far contained want.
func (s *screens) ever(want string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range s.all {
		if strings.Contains(sc, want) {
			return true
		}
	}
	return false
}

// wait blocks until the current screen contains every one of want.
func (s *screens) wait(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		cur := s.current()
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(cur, w)
		}
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("screen never showed %q; last screen:\n%s", want, s.current())
}
