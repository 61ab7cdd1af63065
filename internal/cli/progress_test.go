package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestRenderProgress(t *testing.T) {
	cases := []struct {
		n, total int64
		width    int
		want     string
	}{
		{512 << 10, 1 << 20, 80, "importing a.csv  [##########----------]   50%  512.0 KiB / 1.0 MiB  256.0 KiB/s"},
		{3 << 20, 0, 80, "exporting shop.sql  3.0 MiB  1.5 MiB/s"},
		{2 << 20, 1 << 20, 80, "importing a.csv  [########################]  100%  2.0 MiB / 1.0 MiB  1.0 MiB/s"},
		{512 << 10, 1 << 20, 30, "importing a.csv   50%  512.0 "},
	}
	for _, c := range cases {
		label := "importing a.csv"
		if c.total == 0 {
			label = "exporting shop.sql"
		}
		got := renderProgress(label, c.n, c.total, 2*time.Second, c.width)
		if got != c.want {
			t.Errorf("renderProgress(%d, %d, %d) = %q, want %q", c.n, c.total, c.width, got, c.want)
		}
		if raw := renderProgress(label, c.n, c.total, 2*time.Second, c.width); len([]rune(raw)) >= c.width {
			t.Errorf("line of %d cells does not fit in %d", len([]rune(raw)), c.width)
		}
	}
}

func TestProgressBarThrottlesAndClears(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	p := startProgress(&buf, "exporting x", 0, 80, func() time.Time { return now })
	p.update(10)
	p.update(20) // same instant: skipped
	now = now.Add(progressEvery)
	p.update(30)
	p.done()
	got := buf.String()
	if strings.Count(got, "\r") != 3 || !strings.Contains(got, "10 B") || strings.Contains(got, "20 B") || !strings.Contains(got, "30 B") {
		t.Errorf("drawn %q", got)
	}
	if !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("bar not erased: %q", got)
	}
	var nilBar *progressBar // stderr not a terminal
	nilBar.update(1)
	nilBar.done()
	if nilBar.callback() != nil {
		t.Error("nil bar has a callback")
	}
}
