package gateway

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestAnswersCarryContentLength: MK1 clients read answers by their
// Content-Length, so every JSON answer over a real connection has one and
// is never chunked, whether writeRaw sets it (large bodies) or leaves it to
// net/http (bodies that fit its response buffer).
func TestAnswersCarryContentLength(t *testing.T) {
	f := newFixture(t, Options{})
	f.spawn("c")
	c, err := net.Dial("tcp", strings.TrimPrefix(f.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	// answers around both sides of autoLengthMax and of net/http's 2 KiB buffer
	for _, n := range []int{1, 600, autoLengthMax - 200, autoLengthMax + 100, 1900, 2100, 9000} {
		body := fmt.Sprintf(`{"sql":"SELECT printf('%%.*c', %d, 'x') AS v"}`, n)
		fmt.Fprintf(c, "POST /api/db/c/query HTTP/1.1\r\nHost: x\r\nX-API-Key: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			testKey, len(body), body)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("value of %d bytes: %v", n, err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("value of %d bytes: %d %v %.200s", n, resp.StatusCode, err, got)
		}
		if len(resp.TransferEncoding) != 0 || resp.ContentLength != int64(len(got)) {
			t.Errorf("value of %d bytes: Transfer-Encoding %v, Content-Length %d for a body of %d",
				n, resp.TransferEncoding, resp.ContentLength, len(got))
		}
		if !strings.Contains(string(got), strings.Repeat("x", n)) {
			t.Errorf("value of %d bytes: answer lacks it: %.200s", n, got)
		}
	}
}
