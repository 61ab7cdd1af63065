package cli

import (
	"bytes"

	"github.com/spf13/cobra"
)

// configDoc is the JSON shape of `dbforge config`.
type configDoc struct {
	File      string        `json:"file"`
	FileFound bool          `json:"file_found"`
	Mode      string        `json:"mode"`
	Values    []configValue `json:"values"`
}

type configValue struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source"`
	From   string `json:"from,omitempty"`
}

func newConfigCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the resolved configuration and where each value comes from",
		Long: `Show the configuration every command uses, each value with its source:
a flag, an environment variable, the config file (with its line) or the
default. Flags beat environment variables, which beat the file. The API key is
masked.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validFormat(format); err != nil {
				return err
			}
			cfg, err := resolveConfig(cmd)
			if err != nil {
				return err
			}
			p, err := newPrinter(cmd, cfg, format)
			if err != nil {
				return err
			}
			doc := configDoc{File: cfg.File, FileFound: cfg.FileFound, Mode: "remote " + cfg.URL}
			if cfg.Embedded() {
				doc.Mode = "embedded (data in " + cfg.DataDir + ")"
			}
			g := grid{cols: []string{"key", "value", "source"}}
			for _, e := range cfg.Entries() {
				doc.Values = append(doc.Values, configValue{Key: e.Key, Value: e.Value, Source: string(e.Origin.Source), From: e.Origin.Name})
				g.rows = append(g.rows, []any{e.Key, e.Value, e.Origin.String()})
			}
			var b bytes.Buffer
			switch p.format {
			case fmtJSON:
				err = writeJSONDoc(&b, doc)
			case fmtCSV:
				err = p.render(&b, g)
			default:
				state := ""
				if !cfg.FileFound {
					state = " (not found)"
				}
				b.WriteString("config file: " + displayText(cfg.File) + state + "\n")
				b.WriteString("mode:        " + displayText(doc.Mode) + "\n\n")
				err = p.render(&b, g)
			}
			if err != nil {
				return err
			}
			return p.flush(&b)
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}
