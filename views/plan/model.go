// Package plan is the query plan pane: EXPLAIN QUERY PLAN rows drawn as an
// indented tree, full table scans highlighted, with a one-line summary.
package plan

import (
	"strings"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
	"github.com/dbforge/dbforge/keymap"
	"github.com/dbforge/dbforge/theme"
)

// line is one row of the drawn tree.
type line struct {
	prefix string // tree connectors
	detail string // sanitized
	scan   bool   // full table scan
}

// Model is the plan pane.
type Model struct {
	th   *theme.Theme
	keys keymap.Plan

	sql   string // sanitized, one line
	lines []line
	scans int
	has   bool
	err   error

	offset, left  int
	width, height int
	focused       bool
}

// New returns an empty plan pane.
func New(th *theme.Theme, keys keymap.Plan) Model { return Model{th: th, keys: keys} }

// SetPlan shows the plan of sql.
func (m *Model) SetPlan(sql string, nodes []client.PlanNode) {
	m.sql = sanitize.Line(strings.Join(strings.Fields(sql), " "))
	m.lines, m.scans = buildTree(nodes)
	m.has, m.err = true, nil
	m.offset, m.left = 0, 0
}

// SetError shows why the plan could not be produced.
func (m *Model) SetError(err error) { m.err = err }

// SetSize sets the inner size the pane draws in.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	m.clamp()
}

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away.
func (m *Model) Blur() { m.focused = false }

// Focused reports whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// InTextInput is always false: the pane takes no text.
func (m Model) InTextInput() bool { return false }

// FullScans is the number of full table scans in the plan shown.
func (m Model) FullScans() int { return m.scans }

// IsFullScan reports whether a plan row reads a whole table: SQLite's
// SCAN that uses no index (SCAN CONSTANT ROW reads nothing), or
// PostgreSQL's Seq Scan (also Parallel Seq Scan).
func IsFullScan(detail string) bool {
	d := strings.ToUpper(strings.TrimSpace(detail))
	if strings.HasPrefix(d, "SEQ SCAN ") || strings.HasPrefix(d, "PARALLEL SEQ SCAN ") {
		return true
	}
	if !strings.HasPrefix(d, "SCAN ") || strings.HasPrefix(d, "SCAN CONSTANT ROW") {
		return false
	}
	return !strings.Contains(d, "USING INDEX") && !strings.Contains(d, "COVERING INDEX") &&
		!strings.Contains(d, "USING INTEGER PRIMARY KEY") && !strings.Contains(d, "VIRTUAL TABLE INDEX")
}

// buildTree orders nodes as a tree by parent id, keeping SQLite's order
// among siblings, and draws the connectors. Nodes whose parent is missing
// are shown at the top level rather than lost; cycles are cut.
func buildTree(nodes []client.PlanNode) ([]line, int) {
	ids := map[int]bool{}
	for _, n := range nodes {
		ids[n.ID] = true
	}
	children := map[int][]int{}
	var roots []int
	for i, n := range nodes {
		if n.Parent == 0 || !ids[n.Parent] || n.Parent == n.ID {
			roots = append(roots, i)
			continue
		}
		children[n.Parent] = append(children[n.Parent], i)
	}
	var out []line
	scans := 0
	seen := make([]bool, len(nodes))
	var walk func(list []int, indent string)
	walk = func(list []int, indent string) {
		for k, i := range list {
			if seen[i] {
				continue
			}
			seen[i] = true
			last := k == len(list)-1
			conn, next := "├─ ", "│  "
			if last {
				conn, next = "└─ ", "   "
			}
			scan := IsFullScan(nodes[i].Detail)
			if scan {
				scans++
			}
			out = append(out, line{prefix: indent + conn, detail: sanitize.Line(nodes[i].Detail), scan: scan})
			walk(children[nodes[i].ID], indent+next)
		}
	}
	walk(roots, "")
	// nodes only reachable through a cycle
	for i := range nodes {
		if !seen[i] {
			walk([]int{i}, "")
		}
	}
	return out, scans
}

// RefreshStyles is part of the pane contract; this pane caches no style (it
// draws from the theme on every View).
func (m *Model) RefreshStyles() {}
