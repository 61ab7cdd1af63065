package mcp_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dbforge/dbforge/internal/auth"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/gateway"
	"github.com/dbforge/dbforge/internal/mcp"
)

// TestStalledMCPBodyIsCut: a client with a key that sends /mcp's headers
// and then stalls its body loses the connection after --body-timeout,
// as on every JSON route, instead of holding it for ever.
func TestStalledMCPBodyIsCut(t *testing.T) {
	eng, err := engine.Open(engine.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	gw := gateway.New(eng, gateway.Options{AdminKeyHash: auth.Hash(adminKey), BodyTimeout: 300 * time.Millisecond})
	h, closeMCP := mcp.Mount(gw, "test", nil)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); closeMCP() })

	addr := strings.TrimPrefix(srv.URL, "http://")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nX-API-Key: %s\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{\"jsonrpc\":", mcp.Path, addr, adminKey)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	start := time.Now()
	line, _ := bufio.NewReader(c).ReadString('\n')
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the stalled /mcp body held the connection for %v (%q)", d, line)
	}
}
