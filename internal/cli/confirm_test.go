//go:build linux

package cli

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal: the test types into main, the command
// reads a real terminal from tty.
func openPTY(t *testing.T) (main, tty *os.File) {
	t.Helper()
	main, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { main.Close() })
	unlock, n := int32(0), uint32(0)
	if err := ioctl(main, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		t.Skipf("unlocking the pseudo-terminal: %v", err)
	}
	if err := ioctl(main, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		t.Skipf("naming the pseudo-terminal: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return main, tty
}

func ioctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(arg)); errno != 0 {
		return errno
	}
	return nil
}

// runOnTerminal runs the command with a terminal as stdin, answering
// the question with answer.
func runOnTerminal(t *testing.T, answer string, args ...string) result {
	t.Helper()
	main, tty := openPTY(t)
	if answer != "" {
		if _, err := main.WriteString(answer + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb strings.Builder
	code := Main(args, tty, &out, &errb)
	return result{out.String(), errb.String(), code}
}

func countRows(t *testing.T, dir string) string {
	t.Helper()
	return mustRun(t, "--data", dir, "query", "shop", "SELECT count(*) AS n FROM t", "--format", "csv")
}

// On a terminal, query asks before a statement that can lose data, and
// anything but y leaves the data alone; --yes and a stdin that is not a
// terminal (scripts) run it unasked, as before.
func TestQueryConfirmsDestructiveOnATerminal(t *testing.T) {
	dir := isolateEnv(t)
	data := []string{"--data", dir}
	mustRun(t, append(data, "db", "spawn", "shop")...)
	seed := func() {
		mustRun(t, append(data, "query", "shop", "CREATE TABLE IF NOT EXISTS t(x)")...)
		mustRun(t, append(data, "query", "shop", "INSERT INTO t VALUES (1), (2)")...)
	}
	seed()

	r := runOnTerminal(t, "n", append(data, "query", "shop", "DELETE FROM t")...)
	if r.code != exitFailure || !strings.Contains(r.stderr, `DELETE without WHERE removes every row of t.`) ||
		!strings.Contains(r.stderr, "Run it? [y/N]") || !strings.Contains(r.stderr, "not run: DELETE without WHERE") {
		t.Fatalf("refused answer: code %d, stderr %q", r.code, r.stderr)
	}
	if got := countRows(t, dir); got != "n\r\n2\r\n" {
		t.Fatalf("a refused DELETE ran: %q", got)
	}

	// a harmless statement is not asked about, even on a terminal
	if r := runOnTerminal(t, "", append(data, "query", "shop", "DELETE FROM t WHERE x = 99")...); r.code != 0 || strings.Contains(r.stderr, "Run it?") {
		t.Fatalf("a DELETE with WHERE was questioned: code %d, stderr %q", r.code, r.stderr)
	}

	if r := runOnTerminal(t, "y", append(data, "query", "shop", "DELETE FROM t")...); r.code != 0 {
		t.Fatalf("confirmed DELETE: code %d, stderr %q", r.code, r.stderr)
	}
	if got := countRows(t, dir); got != "n\r\n0\r\n" {
		t.Fatalf("a confirmed DELETE did not run: %q", got)
	}

	seed()
	if r := runOnTerminal(t, "", append(data, "query", "shop", "DELETE FROM t", "--yes")...); r.code != 0 || strings.Contains(r.stderr, "Run it?") {
		t.Fatalf("--yes: code %d, stderr %q", r.code, r.stderr)
	}
	seed()
	// a script (stdin not a terminal) runs it unasked
	if r := run(t, "", append(data, "query", "shop", "DROP TABLE t")...); r.code != 0 || r.stderr != "" {
		t.Fatalf("non-tty: code %d, stderr %q", r.code, r.stderr)
	}
}
