package cli

import (
	"bytes"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/internal/config"
	"github.com/dbforge/dbforge/theme"
)

// Output formats of --format.
const (
	fmtTable    = "table"
	fmtJSON     = "json"
	fmtCSV      = "csv"
	fmtMarkdown = "markdown"
)

var formats = []string{fmtTable, fmtJSON, fmtCSV, fmtMarkdown}

// addFormatFlag declares --format on a command that prints results.
func addFormatFlag(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVarP(dst, "format", "o", "", "output format: table, json, csv or markdown (default table on a terminal, json otherwise)")
}

// printer renders results in the chosen format. Output is built in memory
// and written once, so a failure never leaves half a result on stdout.
type printer struct {
	w      io.Writer
	format string
	styled bool // ANSI styles allowed: stdout is a terminal and colour is on
	tty    bool // stdout is a terminal: raw data (CSV) is sanitized on its way
	th     theme.Theme
}

// newPrinter picks the format (the flag, else table on a terminal and json
// otherwise) and whether to style the output.
func newPrinter(cmd *cobra.Command, cfg *config.Config, format string) (*printer, error) {
	w := cmd.OutOrStdout()
	tty := isTerminal(w)
	switch {
	case format == "md":
		format = fmtMarkdown
	case format == "":
		format = fmtJSON
		if tty {
			format = fmtTable
		}
	case !slices.Contains(formats, format):
		return nil, usagef("--format must be one of %s, not %q", strings.Join(formats, ", "), format)
	}
	p := &printer{w: w, format: format, styled: tty && !cfg.NoColor, tty: tty}
	th, err := theme.New(cfg.Theme, true, !p.styled)
	if err != nil {
		return nil, err
	}
	p.th = th
	return p, nil
}

// validFormat checks --format before any work is done, so a typo is a
// usage error even when the command would fail for another reason.
func validFormat(format string) error {
	if format == "" || format == "md" || slices.Contains(formats, format) {
		return nil
	}
	return usagef("--format must be one of %s, not %q", strings.Join(formats, ", "), format)
}

// flush writes b to the printer's writer, downsampling colours to what
// the terminal supports when styled.
func (p *printer) flush(b *bytes.Buffer) error {
	var w io.Writer = p.w
	if p.styled {
		w = colorprofile.NewWriter(p.w, os.Environ())
	}
	if p.format == fmtCSV && p.tty {
		// CSV carries data byte for byte; only a terminal gets it made safe
		sw := &safeWriter{w: w}
		if _, err := sw.Write(b.Bytes()); err != nil {
			return err
		}
		return sw.flush()
	}
	_, err := w.Write(b.Bytes())
	return err
}

// isTerminal reports whether w is a terminal; buffers and pipes are not.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
