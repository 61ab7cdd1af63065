package cli

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
)

func newSchemaCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "schema DB [TABLE]",
		Short: "Show tables and views with their columns, indexes and foreign keys",
		Args:  usageArgs(cobra.RangeArgs(1, 2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, table := args[0], ""
			if len(args) > 1 {
				table = args[1]
			}
			return runPrint(cmd, format, func(s *Session, p *printer, b *bytes.Buffer) error {
				ctx, stop := commandContext(cmd)
				defer stop()
				sc, err := s.Client.Schema(ctx, db, table)
				if err != nil {
					return onDB(db, err)
				}
				if table != "" && len(sc.Tables) == 0 {
					return fmt.Errorf("table %q not found in database %q", table, db)
				}
				switch p.format {
				case fmtJSON:
					return writeJSONDoc(b, sc)
				case fmtTable:
					p.schemaTree(b, sc)
					return nil
				}
				return p.render(b, columnsGrid(sc))
			})
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

// columnsGrid is the schema flattened to one row per column.
func columnsGrid(sc *client.Schema) grid {
	g := grid{cols: []string{"table", "kind", "column", "type", "not_null", "default", "primary_key"}}
	for _, t := range sc.Tables {
		for _, c := range t.Columns {
			var def any
			if c.Default != nil {
				def = *c.Default
			}
			g.rows = append(g.rows, []any{t.Name, t.Type, c.Name, c.Type, c.NotNull, def, c.PrimaryKey})
		}
	}
	return g
}

// schemaTree draws each table as a heading over its aligned columns,
// then its indexes and foreign keys, then the triggers.
func (p *printer) schemaTree(b *bytes.Buffer, sc *client.Schema) {
	title := func(s string) string {
		if p.styled {
			return p.th.Title.Render(s)
		}
		return s
	}
	muted := func(s string) string {
		if p.styled {
			return p.th.Muted.Render(s)
		}
		return s
	}
	if len(sc.Tables) == 0 {
		b.WriteString("(no tables)\n")
	}
	for i, t := range sc.Tables {
		if i > 0 {
			b.WriteString("\n")
		}
		head := fmt.Sprintf("(%s, %d row%s)", displayText(t.Type), t.RowCount, plural(int(t.RowCount)))
		if t.Type == "view" {
			head = "(view)"
		}
		b.WriteString(title(displayText(t.Name)) + " " + muted(head) + "\n")
		var cols bytes.Buffer
		tw := tabwriter.NewWriter(&cols, 0, 0, 2, ' ', 0)
		for _, c := range t.Columns {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", displayText(c.Name), displayText(orDash(c.Type)), columnAttrs(c))
		}
		tw.Flush()
		for _, line := range strings.SplitAfter(cols.String(), "\n") {
			b.WriteString(strings.TrimRight(line, " \t\n"))
			if strings.HasSuffix(line, "\n") {
				b.WriteString("\n")
			}
		}
		for _, ix := range t.Indexes {
			u := ""
			if ix.Unique {
				u = " UNIQUE"
			}
			b.WriteString(muted(fmt.Sprintf("  index %s (%s)%s", displayText(ix.Name), displayText(strings.Join(ix.Columns, ", ")), u)) + "\n")
		}
		for _, fk := range t.ForeignKeys {
			b.WriteString(muted(fmt.Sprintf("  foreign key (%s) → %s (%s)", displayText(strings.Join(fk.Columns, ", ")),
				displayText(fk.RefTable), displayText(strings.Join(fk.RefColumns, ", ")))) + "\n")
		}
	}
	if len(sc.Triggers) > 0 {
		b.WriteString("\n" + title("triggers") + "\n")
		for _, tr := range sc.Triggers {
			b.WriteString(fmt.Sprintf("  %s ON %s\n", displayText(tr.Name), displayText(tr.Table)))
		}
	}
}

func columnAttrs(c client.ColumnSchema) string {
	var a []string
	if c.PrimaryKey {
		a = append(a, "PRIMARY KEY")
	}
	if c.NotNull {
		a = append(a, "NOT NULL")
	}
	if c.Default != nil {
		a = append(a, "DEFAULT "+displayText(*c.Default))
	}
	return strings.Join(a, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
