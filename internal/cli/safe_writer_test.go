package cli

import (
	"bytes"
	"testing"
)

func TestSafeWriterKeepsRunesWholeAndHidesEscapes(t *testing.T) {
	var b bytes.Buffer
	w := &safeWriter{w: &b}
	in := []byte("a\x1b[31mé日\nz")
	// feed one byte at a time: every multi-byte rune is split
	for i := range in {
		if n, err := w.Write(in[i : i+1]); n != 1 || err != nil {
			t.Fatalf("write %d: %d, %v", i, n, err)
		}
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if bytes.ContainsRune(b.Bytes(), 0x1b) || !bytes.Contains(b.Bytes(), []byte("é日\nz")) {
		t.Errorf("got %q", got)
	}
	b.Reset()
	w.Write([]byte{0xe6}) // half a rune, then the end
	w.flush()
	if b.Len() == 0 || b.String() == "\xe6" {
		t.Errorf("dangling byte written raw: %q", b.String())
	}
}

// Written one byte at a time, CRLF line ends and joiners inside emoji and
// words come out as they would in one piece; a lone CR is still shown.
func TestSafeWriterKeepsCRLFAndJoinersAcrossWrites(t *testing.T) {
	in := "a,b\r\n👩\u200d💻,می\u200cخواهم\r\nx\ry\u200d"
	var b bytes.Buffer
	w := &safeWriter{w: &b}
	for i := range len(in) {
		w.Write([]byte{in[i]})
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	want := "a,b\r\n👩\u200d💻,می\u200cخواهم\r\nx␍y<U+200D>"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
