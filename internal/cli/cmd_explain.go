package cli

import (
	"bytes"
	"context"
	"sort"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
)

func newExplainCmd() *cobra.Command {
	var f queryFlags
	cmd := &cobra.Command{
		Use:   "explain DB [SQL | -]",
		Short: "Show how the database would run a statement (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with costs), as a tree",
		Long: `Show the query plan of a statement without running it. The SQL and its
--param values are given as for dbforge query.`,
		Example: `  dbforge explain shop "SELECT * FROM orders WHERE user_id = ?" --param 7`,
		Args:    usageArgs(cobra.RangeArgs(1, 2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validFormat(f.format); err != nil {
				return err
			}
			db, sql, params, err := statementArgs(cmd, args, f)
			if err != nil {
				return err
			}
			return printCall(cmd, f.format, db, func(ctx context.Context, c *client.Client) (*client.Plan, error) {
				return c.Explain(ctx, db, client.QueryRequest{SQL: sql, Params: params})
			}, func(p *printer, b *bytes.Buffer, plan *client.Plan) error {
				if plan.Plan == nil {
					plan.Plan = []client.PlanNode{}
				}
				switch p.format {
				case fmtJSON:
					return writeJSONDoc(b, plan)
				case fmtTable:
					p.planTree(b, plan.Plan)
					return nil
				}
				g := grid{cols: []string{"id", "parent", "detail"}}
				for _, n := range plan.Plan {
					g.rows = append(g.rows, []any{int64(n.ID), int64(n.Parent), n.Detail})
				}
				return p.render(b, g)
			})
		},
	}
	addStatementFlags(cmd, &f)
	addFormatFlag(cmd, &f.format)
	return cmd
}

// planTree draws the plan as an indented tree under "QUERY PLAN", like
// the sqlite3 shell. Nodes whose parent is missing hang from the root.
func (p *printer) planTree(b *bytes.Buffer, nodes []client.PlanNode) {
	ids := make(map[int]bool, len(nodes))
	for _, n := range nodes {
		ids[n.ID] = true
	}
	children := map[int][]client.PlanNode{}
	for _, n := range nodes {
		parent := n.Parent
		if parent == n.ID || !ids[parent] {
			parent = 0
		}
		children[parent] = append(children[parent], n)
	}
	for _, c := range children {
		sort.SliceStable(c, func(i, j int) bool { return c[i].ID < c[j].ID })
	}
	head := "QUERY PLAN"
	if p.styled {
		head = p.th.Title.Render(head)
	}
	b.WriteString(head + "\n")
	seen := map[int]bool{}
	var walk func(parent int, prefix string)
	walk = func(parent int, prefix string) {
		kids := children[parent]
		for i, n := range kids {
			if seen[n.ID] {
				continue // a cycle in a malformed plan
			}
			seen[n.ID] = true
			branch, next := "├── ", "│   "
			if i == len(kids)-1 {
				branch, next = "└── ", "    "
			}
			b.WriteString(prefix + branch + displayText(n.Detail) + "\n")
			walk(n.ID, prefix+next)
		}
	}
	walk(0, "")
}
