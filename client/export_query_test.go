package client_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/client"
)

func TestExportQuery(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		seedItems(t, c, "src")
		var buf bytes.Buffer
		var last int64
		n, err := c.ExportQuery(ctx, "src", client.ExportQueryRequest{SQL: "SELECT id, name, price FROM items WHERE id <= ? ORDER BY id", Params: []any{2}},
			&buf, client.WithProgress(func(b int64) { last = b }))
		if err != nil {
			t.Fatal(err)
		}
		want := "id,name,price\r\n1,widget,6363.0\r\n2,\"gädget, \"\"quoted\"\"\",-0.5\r\n"
		if buf.String() != want || n != int64(buf.Len()) || last != n {
			t.Fatalf("n=%d progress=%d body=%q", n, last, buf.String())
		}
		buf.Reset()
		if _, err := c.ExportQuery(ctx, "src", client.ExportQueryRequest{SQL: "SELECT id FROM items WHERE id > :n", Params: map[string]any{"n": 2}, Format: client.ExportNDJSON}, &buf); err != nil || buf.String() != "{\"id\":3}\n" {
			t.Fatalf("NDJSON %q, %v", buf.String(), err)
		}
		buf.Reset()
		_, err = c.ExportQuery(ctx, "src", client.ExportQueryRequest{SQL: "DELETE FROM items RETURNING id"}, &buf)
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || apiErr.Status != 403 || buf.Len() != 0 {
			t.Fatalf("a write through an export: %v (wrote %q)", err, buf.String())
		}
		if got := rows(t, c, "src", "SELECT count(*) FROM items"); got[0][0] != int64(3) {
			t.Fatalf("rows after the refused write: %v", got)
		}
		if _, err := c.ExportQuery(ctx, "src", client.ExportQueryRequest{SQL: "SELECT 1", Format: "xml"}, &buf); err == nil {
			t.Fatal("unknown format accepted")
		}
	})
}

// cancelAfter cancels its context once more than n bytes were written.
type cancelAfter struct {
	n      int
	got    int
	cancel context.CancelFunc
}

func (w *cancelAfter) Write(p []byte) (int, error) {
	w.got += len(p)
	if w.got > w.n {
		w.cancel()
	}
	return len(p), nil
}

// TestExportQueryCancel: cancelling the context stops a long export
// promptly with context.Canceled, well before its end.
func TestExportQueryCancel(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		spawn(t, c, "big")
		exec(t, c, "big", "CREATE TABLE big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 300000) SELECT x, 'row '||x AS t FROM c")
		ctx, cancel := context.WithCancel(ctxT(t))
		w := &cancelAfter{n: 64 << 10, cancel: cancel}
		start := time.Now()
		_, err := c.ExportQuery(ctx, "big", client.ExportQueryRequest{SQL: "SELECT * FROM big"}, w)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if full := 300000 * len("123456,row 123456\r\n"); w.got > full/2 || time.Since(start) > 5*time.Second {
			t.Fatalf("wrote %d bytes in %v after cancelling", w.got, time.Since(start))
		}
		if !strings.Contains(err.Error(), "export query") {
			t.Fatalf("error does not say what stopped: %v", err)
		}
	})
}
