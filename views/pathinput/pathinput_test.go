package pathinput

import (
	"errors"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/dbforge/dbforge/theme"
	"github.com/dbforge/dbforge/views/action"
)

var (
	tab      = tea.KeyPressMsg{Code: tea.KeyTab}
	shiftTab = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
)

func newModel(t *testing.T, value string) Model {
	t.Helper()
	th := theme.MustNew(theme.Dark, true, false)
	m := New(&th, "test", key.NewBinding(key.WithKeys("ctrl+space")))
	m.Focus()
	m.SetValue(value)
	m.CursorEnd()
	return m
}

// pressTab sends tab and returns the completion request it emitted, if any.
func pressTab(t *testing.T, m Model, k tea.KeyPressMsg) (Model, *action.CompletePath) {
	t.Helper()
	m, cmd := m.Update(k)
	if cmd == nil {
		return m, nil
	}
	req, ok := cmd().(action.CompletePath)
	if !ok {
		t.Fatalf("tab emitted %T", cmd())
	}
	return m, &req
}

func answer(req *action.CompletePath, entries ...action.PathEntry) action.PathCompletions {
	return action.PathCompletions{ID: req.ID, Seq: req.Seq, Input: req.Input, Entries: entries, Total: len(entries)}
}

func file(n string) action.PathEntry { return action.PathEntry{Name: n} }
func dir(n string) action.PathEntry  { return action.PathEntry{Name: n, Dir: true} }

func TestTabAsksWithTheTypedText(t *testing.T) {
	m := newModel(t, "data/sa")
	m, req := pressTab(t, m, tab)
	if req == nil || req.ID != "test" || req.Input != "data/sa" || req.Seq != 1 {
		t.Fatalf("request %+v", req)
	}
	if m.Value() != "data/sa" {
		t.Fatalf("value changed before the answer: %q", m.Value())
	}
	_, req2 := pressTab(t, m, tea.KeyPressMsg{Code: ' ', Mod: tea.ModCtrl})
	if req2 == nil || req2.Seq != 2 {
		t.Fatalf("the extra binding did not ask again: %+v", req2)
	}
}

func TestCompletion(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		entries     []action.PathEntry
		want        string
		hint        string // substring of the line under the input; "" for none
	}{
		{"single file", "data/sa", []action.PathEntry{file("sales.csv")}, "data/sales.csv", ""},
		{"single dir gets a slash", "ex", []action.PathEntry{dir("exports")}, "exports/", ""},
		{"home", "~", []action.PathEntry{dir("~")}, "~/", ""},
		{"common prefix", "~/s", []action.PathEntry{file("sales_2023.csv"), file("sales_2024.csv")}, "~/sales_202", "sales_2023.csv  sales_2024.csv"},
		{"no progress keeps the text", "s", []action.PathEntry{file("sales.csv"), file("stock.csv")}, "s", "sales.csv  stock.csv"},
		{"nothing", "zz", nil, "zz", "no match"},
		{"escape sequence is listed, never typed", "e", []action.PathEntry{file("evil\x1b[31m.csv"), file("eve.csv")}, "e", "evil␛[31m.csv"},
		{"only untypable", "e", []action.PathEntry{file("e\x07")}, "e", "control characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newModel(t, tc.input)
			m, req := pressTab(t, m, tab)
			if !m.SetCompletions(answer(req, tc.entries...)) {
				t.Fatal("fresh answer dropped")
			}
			if m.Value() != tc.want {
				t.Fatalf("value %q, want %q", m.Value(), tc.want)
			}
			hint := m.Hint(80)
			if strings.Contains(hint, "\x1b[31m") && !strings.Contains(ansi.Strip(hint), "␛") {
				t.Fatal("raw escape sequence in the hint")
			}
			got := ansi.Strip(hint)
			if tc.hint == "" && got != "" || !strings.Contains(got, tc.hint) {
				t.Fatalf("hint %q, want %q", got, tc.hint)
			}
		})
	}
}

func TestOutdatedAnswersAreDropped(t *testing.T) {
	m := newModel(t, "sa")
	m, req := pressTab(t, m, tab)
	old := answer(req, file("sales.csv"))
	m, _ = m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	if m.SetCompletions(old) || m.Value() != "sax" {
		t.Fatalf("answer for an older text applied: %q", m.Value())
	}
	m, req = pressTab(t, m, tab)
	stale := old
	stale.Input = "sax"
	if m.SetCompletions(stale) {
		t.Fatal("answer for an older request applied")
	}
	other := answer(req, file("saxophone.csv"))
	other.ID = "elsewhere"
	if m.SetCompletions(other) {
		t.Fatal("answer for another prompt applied")
	}
	if !m.SetCompletions(answer(req, file("saxophone.csv"))) || m.Value() != "saxophone.csv" {
		t.Fatalf("fresh answer not applied: %q", m.Value())
	}
}

func TestSecondTabCycles(t *testing.T) {
	m := newModel(t, "out/r")
	m, req := pressTab(t, m, tab)
	m.SetCompletions(answer(req, dir("reports"), file("results.csv"), file("rows.json")))
	if m.Value() != "out/r" {
		t.Fatalf("value %q", m.Value())
	}
	var seen []string
	for range 4 {
		var again *action.CompletePath
		m, again = pressTab(t, m, tab)
		if again != nil {
			t.Fatal("a second tab asked again instead of cycling")
		}
		seen = append(seen, m.Value())
	}
	want := []string{"out/reports/", "out/results.csv", "out/rows.json", "out/reports/"}
	if strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Fatalf("cycle %v, want %v", seen, want)
	}
	if !strings.Contains(ansi.Strip(m.Hint(80)), "reports/") {
		t.Fatalf("list gone while cycling: %q", ansi.Strip(m.Hint(80)))
	}
	m, _ = pressTab(t, m, shiftTab)
	if m.Value() != "out/rows.json" {
		t.Fatalf("shift+tab went to %q", m.Value())
	}
	// typing ends the cycle: the list goes and tab asks again
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	if m.Hint(80) != "" {
		t.Fatalf("list still shown after typing: %q", m.Hint(80))
	}
	if _, req = pressTab(t, m, tab); req == nil || req.Input != "out/rows.jso" {
		t.Fatalf("tab after typing did not ask: %+v", req)
	}
}

func TestCycleSkipsUntypableNames(t *testing.T) {
	m := newModel(t, "")
	m, req := pressTab(t, m, tab)
	m.SetCompletions(answer(req, file("a.csv"), file("b\x1b.csv"), file("c.csv")))
	var seen []string
	for range 3 {
		m, _ = pressTab(t, m, tab)
		seen = append(seen, m.Value())
	}
	if strings.Join(seen, " ") != "a.csv c.csv a.csv" {
		t.Fatalf("cycle %v", seen)
	}
}

func TestHintFitsAndCountsTheRest(t *testing.T) {
	m := newModel(t, "f")
	m, req := pressTab(t, m, tab)
	var entries []action.PathEntry
	for _, n := range []string{"file_alpha.csv", "file_beta.csv", "file_gamma.csv", "file_delta.csv", "file_epsilon.csv"} {
		entries = append(entries, file(n))
	}
	a := answer(req, entries...)
	a.Total = 40 // the root sent only the first ones
	m.SetCompletions(a)
	for _, w := range []int{0, 1, 10, 40, 200} {
		h := m.Hint(w)
		if got := ansi.StringWidth(h); got > w {
			t.Fatalf("width %d: hint is %d wide: %q", w, got, ansi.Strip(h))
		}
	}
	if got := ansi.Strip(m.Hint(40)); got != "file_alpha.csv  file_beta.csv  +38 more" {
		t.Fatalf("hint at 40: %q", got)
	}
	if got := ansi.Strip(m.Hint(200)); !strings.HasSuffix(got, "file_epsilon.csv  +35 more") {
		t.Fatalf("hint at 200: %q", got)
	}
	// the chosen candidate stays in view
	for range 4 {
		m, _ = pressTab(t, m, tab)
	}
	if got := ansi.Strip(m.Hint(40)); !strings.Contains(got, "file_delta.csv") {
		t.Fatalf("chosen candidate off screen: %q", got)
	}
}

func TestErrorShownSanitized(t *testing.T) {
	m := newModel(t, "nope/x")
	m, req := pressTab(t, m, tab)
	a := answer(req)
	a.Err = errors.New("no directory nope\x1b]0;t\a/")
	m.SetCompletions(a)
	h := m.Hint(80)
	if strings.ContainsAny(h, "\a") || strings.Contains(h, "\x1b]0") {
		t.Fatalf("raw control characters drawn: %q", h)
	}
	if !strings.Contains(ansi.Strip(h), "no directory nope") {
		t.Fatalf("hint %q", ansi.Strip(h))
	}
}

func TestPlainInputIgnoresTab(t *testing.T) {
	th := theme.MustNew(theme.Dark, true, false)
	m := New(&th, "", key.NewBinding(key.WithKeys("ctrl+space")))
	m.Focus()
	m.SetValue("abc")
	m, cmd := m.Update(tab)
	if cmd != nil {
		if _, ok := cmd().(action.CompletePath); ok {
			t.Fatal("a plain input asked for completions")
		}
	}
	if m.SetCompletions(action.PathCompletions{Input: "abc", Entries: []action.PathEntry{file("abcd")}}) || m.Value() != "abc" {
		t.Fatal("a plain input took an answer")
	}
}
