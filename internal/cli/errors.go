package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/sanitize"
)

// dbError names the database an error is about, so the message can say
// which one.
type dbError struct {
	db  string
	err error
}

func (e *dbError) Error() string { return e.err.Error() }
func (e *dbError) Unwrap() error { return e.err }

// onDB wraps err (when not nil) with the database it concerns.
func onDB(db string, err error) error {
	if err == nil {
		return nil
	}
	return &dbError{db: db, err: err}
}

// friendly turns any error into the one terminal-safe line printed after
// "error: ".
func friendly(err error) string {
	var db string
	var de *dbError
	if errors.As(err, &de) {
		db = de.db
	}
	var ae *client.APIError
	var ue *client.UnreachableError
	var msg string
	switch {
	case errors.As(err, &ae):
		msg = apiMessage(ae, db)
	case errors.As(err, &ue):
		msg = fmt.Sprintf("gateway unreachable at %s: %s", ue.URL, netReason(ue.Err))
	case errors.Is(err, context.DeadlineExceeded):
		msg = "timed out (raise --timeout)"
	case errors.Is(err, context.Canceled):
		msg = "interrupted"
	default:
		msg = err.Error()
	}
	return sanitize.Line(msg)
}

// apiMessage maps the gateway's error codes to short, specific lines.
func apiMessage(e *client.APIError, db string) string {
	text := strings.TrimSuffix(strings.TrimSpace(e.Message), ".")
	switch e.Code {
	case client.CodeNotFound:
		if db != "" {
			return fmt.Sprintf("database %q not found", db)
		}
	case client.CodeStopped:
		if db != "" {
			return fmt.Sprintf("database %q is stopped (pruned); start it again with: dbforge db spawn %s", db, db)
		}
	case client.CodeExists:
		if db != "" {
			return fmt.Sprintf("database %q already exists", db)
		}
	case client.CodeInvalidName:
		return fmt.Sprintf("invalid database name %q: use letters, digits, '_', '.' and '-', starting with a letter or digit, at most %d characters", db, client.MaxDatabaseNameLen)
	case client.CodeSQL:
		return "SQL error: " + strings.TrimSpace(strings.TrimPrefix(e.Message, "SQL Error:"))
	case client.CodeUnauthorized:
		if strings.Contains(strings.ToLower(text), "invalid") {
			return "invalid API key"
		}
		return "missing API key: pass --api-key or set DBFORGE_API_KEY"
	case client.CodeForbidden:
		return "forbidden: " + lowerFirst(text)
	case client.CodeRouteNotFound:
		return "the gateway does not offer this (" + lowerFirst(text) + ")"
	}
	if text == "" {
		return fmt.Sprintf("gateway answered %d", e.Status)
	}
	return lowerFirst(text)
}

// netReason reduces a transport error to its cause: "connection refused"
// rather than "dial tcp 127.0.0.1:9: connect: connection refused".
func netReason(err error) string {
	var dns *net.DNSError
	switch {
	case err == nil:
		return "no answer"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.As(err, &dns):
		return "cannot resolve " + dns.Name
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// lowerFirst lowercases a message's first letter to fit after "error: ",
// leaving acronyms ("SQL", "API") alone.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
