package resultfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
)

var testCols = []client.Column{{Name: "id", Type: "INTEGER"}, {Name: "name", Type: "TEXT"}, {Name: "score", Type: "REAL"}, {Name: "data", Type: "BLOB"}}

var testRows = [][]any{
	{int64(1), "alice", 9.5, []byte{0xde, 0xad}},
	{int64(2), "NULL", nil, nil},
	{int64(3), "a,\"quoted\"\nline <b>", math.Inf(1), []byte{}},
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	n, err := WriteCSV(&buf, testCols, FromRows(testRows))
	if err != nil || n != 3 {
		t.Fatalf("WriteCSV = %d, %v", n, err)
	}
	// the export dialect: NULL unquoted empty, the empty blob "", the LF
	// inside a value kept as it is, ±Inf as SQLite reads it back
	want := "id,name,score,data\r\n" +
		"1,alice,9.5,3q0=\r\n" +
		"2,NULL,,\r\n" +
		"3,\"a,\"\"quoted\"\"\nline <b>\",1e999,\"\"\r\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
}

func TestWriteJSONOrderNullBlob(t *testing.T) {
	var buf bytes.Buffer
	n, err := WriteJSON(&buf, testCols, FromRows(testRows))
	if err != nil || n != 3 {
		t.Fatalf("WriteJSON = %d, %v", n, err)
	}
	out := buf.String()
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if len(got) != 3 || got[0]["data"] != "3q0=" || got[1]["score"] != nil || got[1]["name"] != "NULL" {
		t.Fatalf("decoded %v", got)
	}
	if got[2]["score"] != nil || got[2]["name"] != "a,\"quoted\"\nline <b>" {
		t.Fatalf("row 3 decoded %v", got[2])
	}
	// Keys in column order, HTML not escaped.
	first := strings.Split(out, "\n")[1]
	if first != `  {"id": 1, "name": "alice", "score": 9.5, "data": "3q0="},` {
		t.Fatalf("first row line = %q", first)
	}
	if !strings.Contains(out, "<b>") {
		t.Fatal("HTML characters escaped")
	}
}

func TestWriteJSONEmptyAndDuplicateNames(t *testing.T) {
	var buf bytes.Buffer
	cols := []client.Column{{Name: "a"}, {Name: "a"}, {Name: "a_2"}}
	if _, err := WriteJSON(&buf, cols, FromRows(nil)); err != nil || buf.String() != "[]\n" {
		t.Fatalf("empty result = %q, %v", buf.String(), err)
	}
	buf.Reset()
	if _, err := WriteJSON(&buf, cols, FromRows([][]any{{int64(1), int64(2), int64(3)}})); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `{"a": 1, "a_2": 2, "a_2_2": 3}`) {
		t.Fatalf("duplicate names not kept apart: %s", buf.String())
	}
}

// TestStreamingAcrossPages checks every page is asked for once, in order,
// and rows from all of them are written.
func TestStreamingAcrossPages(t *testing.T) {
	const total = 2*DefaultPageSize + 7
	var offsets []int
	pages := func(offset, limit int) ([][]any, bool, error) {
		offsets = append(offsets, offset)
		end := min(offset+limit, total)
		rows := make([][]any, 0, end-offset)
		for i := offset; i < end; i++ {
			rows = append(rows, []any{int64(i)})
		}
		return rows, end < total, nil
	}
	var buf bytes.Buffer
	n, err := WriteCSV(&buf, []client.Column{{Name: "i"}}, pages)
	if err != nil || n != total {
		t.Fatalf("WriteCSV = %d, %v", n, err)
	}
	if len(offsets) != 3 || offsets[1] != DefaultPageSize || offsets[2] != 2*DefaultPageSize {
		t.Fatalf("offsets = %v", offsets)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != total+1 {
		t.Fatalf("%d lines", lines)
	}
}

func TestPageErrorIsReported(t *testing.T) {
	boom := errors.New("gateway down")
	pages := func(offset, limit int) ([][]any, bool, error) {
		if offset > 0 {
			return nil, false, boom
		}
		return [][]any{{int64(1)}}, true, nil
	}
	_, err := WriteJSON(&bytes.Buffer{}, []client.Column{{Name: "i"}}, pages)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}
