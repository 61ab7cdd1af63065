package csvio

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"testing"
)

// benchCSV is 100,000 records of 5 columns like the import benchmark's.
func benchCSV() []byte {
	var b bytes.Buffer
	b.WriteString("id,name,price,qty,note\r\n")
	for i := range 100_000 {
		fmt.Fprintf(&b, "%d,item %d,%d.%02d,%d,\"a note, with a comma\"\r\n", i, i, i%1000, i%100, i%7)
	}
	return b.Bytes()
}

// BenchmarkReader reads with csvio; BenchmarkReaderEncodingCSV is the
// standard library on the same bytes, for comparison.
func BenchmarkReader(b *testing.B) {
	data := benchCSV()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, _ := NewReader(bytes.NewReader(data), ',', "")
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkReaderEncodingCSV(b *testing.B) {
	data := benchCSV()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}
