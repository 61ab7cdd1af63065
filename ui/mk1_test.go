package ui

import (
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/mk1fake"
)

// TestExplainOnMK1: MK1 has no explain; the plan pane says so instead of
// showing an empty plan with "no full scans".
func TestExplainOnMK1(t *testing.T) {
	c := client.New(mk1fake.New(t).URL, client.WithAPIKey(mk1fake.Key))
	l := startLiveOn(t, c, 100, 24, Options{}, "shop", "CREATE TABLE people (id INTEGER PRIMARY KEY, city TEXT)")
	l.runInEditor("SELECT * FROM people WHERE city = 'London'", kp("f7"))
	l.until("the explain to end", func() bool { s, _ := l.m.Status(); return strings.Contains(s, "not available") })
	l.press(kp("alt+5")) // the run keeps focus in the editor; the narrow layout shows one pane
	l.until("the plan pane's answer", func() bool { return strings.Contains(l.screen(), "plans are not available on this gateway") })
	if s := l.screen(); strings.Contains(s, "no full scans") || strings.Contains(s, "empty plan") {
		t.Fatalf("plan pane claims a plan:\n%s", s)
	}
	// a missing feature, not a failure: the status bar is not an error
	if s, isErr := l.m.Status(); l.m.results.activeName() != tabPlan || !strings.Contains(s, "not available") || isErr {
		t.Fatalf("tab %s, status %q (error %v)", l.m.results.activeName(), s, isErr)
	}
}
