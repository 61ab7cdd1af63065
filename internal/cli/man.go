package cli

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newManCmd writes a man page per command (dbforge.1, dbforge-query.1, …)
// generated from the commands' own help, so the pages cannot drift from
// --help. Hidden: it is for packagers (make man).
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write the man pages of every command into DIR",
		Hidden: true,
		Args:   usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			date, err := manDate(os.Getenv("SOURCE_DATE_EPOCH"))
			if err != nil {
				return fmt.Errorf("man: %w", err)
			}
			if err := writeManTree(cmd.Root(), args[0], date); err != nil {
				return fmt.Errorf("man: %w", err)
			}
			return nil
		},
	}
}

// manDate is the date a page shows: SOURCE_DATE_EPOCH when set, so a
// packager's build is reproducible, else now.
func manDate(epoch string) (time.Time, error) {
	if epoch == "" {
		return time.Now(), nil
	}
	sec, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid SOURCE_DATE_EPOCH %q", epoch)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// writeManTree writes the page of cmd and of every command under it that
// a user can run, as <command path with "-">.1 in dir. The roff is written
// here rather than through cobra/doc, whose Markdown renderer
// (blackfriday, go-md2man) cost every command of the binary its package
// init, and which read the help texts as Markdown although they are plain.
func writeManTree(cmd *cobra.Command, dir string, date time.Time) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range manChildren(cmd) {
		if err := writeManTree(c, dir, date); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(dir, manName(cmd)+".1"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	writeManPage(w, cmd, date)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// manChildren are the subcommands that get a page, by name.
func manChildren(cmd *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() && !c.IsAdditionalHelpTopicCommand() {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *cobra.Command) int { return strings.Compare(a.Name(), b.Name()) })
	return out
}

// manName is the page's name: "dbforge db spawn" → "dbforge-db-spawn".
func manName(cmd *cobra.Command) string { return strings.ReplaceAll(cmd.CommandPath(), " ", "-") }

// writeManPage writes one page in man(7) roff: NAME, SYNOPSIS,
// DESCRIPTION, OPTIONS, EXAMPLE and SEE ALSO, from the command's help.
func writeManPage(w *bufio.Writer, cmd *cobra.Command, date time.Time) {
	cmd.InitDefaultHelpFlag()
	// .nh after .TH, which turns hyphenation back on: a hyphenated flag
	// or path would not survive a copy from the page
	fmt.Fprintf(w, ".TH \"DBFORGE\" \"1\" \"%s\" \"DB-Forge %s\" \"DB-Forge Manual\"\n.nh\n", date.Format("Jan 2006"), roffEscape(version()))
	fmt.Fprintf(w, ".SH NAME\n%s \\- %s\n", roffEscape(manName(cmd)), roffEscape(cmd.Short))
	fmt.Fprintf(w, ".SH SYNOPSIS\n%s\n", bold(cmd.UseLine()))
	w.WriteString(".SH DESCRIPTION\n")
	writeRoffParagraphs(w, cmp.Or(cmd.Long, cmd.Short))
	writeManFlags(w, "OPTIONS", cmd.NonInheritedFlags())
	writeManFlags(w, "OPTIONS INHERITED FROM PARENT COMMANDS", cmd.InheritedFlags())
	if cmd.Example != "" {
		// .EX/.EE keep the lines as they are, in a fixed-width font
		fmt.Fprintf(w, ".SH EXAMPLE\n.EX\n%s\n.EE\n", roffLines(strings.TrimRight(cmd.Example, "\n")))
	}
	var also []string
	if cmd.HasParent() {
		also = append(also, manName(cmd.Parent()))
	}
	for _, c := range manChildren(cmd) {
		also = append(also, manName(c))
	}
	if len(also) > 0 {
		w.WriteString(".SH SEE ALSO\n")
		for i, name := range also {
			if i > 0 {
				w.WriteString(",\n")
			}
			w.WriteString(bold(name) + "(1)")
		}
		w.WriteString("\n")
	}
}

// writeManFlags lists the visible flags of a set, as --help shows them.
func writeManFlags(w *bufio.Writer, title string, flags *pflag.FlagSet) {
	if !flags.HasAvailableFlags() {
		return
	}
	fmt.Fprintf(w, ".SH %s\n", title)
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Deprecated != "" {
			return
		}
		name := bold("--" + f.Name)
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			name = bold("-"+f.Shorthand) + ", " + name
		}
		def := f.DefValue
		if f.Value.Type() == "string" {
			def = strconv.Quote(def)
		}
		if f.NoOptDefVal != "" {
			def = "[=" + def + "]"
		} else {
			def = "=" + def
		}
		fmt.Fprintf(w, ".TP\n%s%s\n%s\n", name, roffEscape(def), roffLines(f.Usage))
	})
}

// writeRoffParagraphs writes text whose paragraphs are separated by blank
// lines; the lines of a paragraph are filled as man does.
func writeRoffParagraphs(w *bufio.Writer, text string) {
	for i, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if i > 0 {
			w.WriteString(".PP\n")
		}
		w.WriteString(roffLines(strings.Trim(para, "\n")))
		w.WriteString("\n")
	}
}

// roffLines escapes text for roff and keeps a line that starts with "."
// or "'" from being read as a request.
func roffLines(text string) string {
	lines := strings.Split(roffEscape(text), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}

// bold is text, escaped, in bold.
func bold(text string) string { return `\fB` + roffEscape(text) + `\fP` }

// roffEscape makes text print as itself: a backslash is \e, a hyphen \-
// (a minus, so a flag copied from the page still works), and anything
// beyond ASCII a \[uXXXX] escape, which groff reads without a UTF-8
// preprocessor and mandoc reads too.
func roffEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\e`)
		case r == '-':
			b.WriteString(`\-`)
		case r >= utf8.RuneSelf:
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
