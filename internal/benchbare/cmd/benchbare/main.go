// Command benchbare serves the bare baseline of `make bench-http`
// (benchbare.Server) on a loopback address until it is killed.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/dbforge/dbforge/internal/benchbare"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	dir := flag.String("dir", "", "directory of bench.db (required)")
	readers := flag.Int("readers", 4, "reader connections (open = idle)")
	flag.Parse()
	if err := run(*addr, *dir, *readers); err != nil {
		fmt.Fprintln(os.Stderr, "benchbare:", err)
		os.Exit(1)
	}
}

func run(addr, dir string, readers int) error {
	if dir == "" {
		return fmt.Errorf("-dir is required")
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not a loopback address", addr)
	}
	srv, err := benchbare.NewServer(dir, readers)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Println("listening", ln.Addr())
	return http.Serve(ln, srv.Handler())
}
