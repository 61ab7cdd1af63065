package client_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/testserve"
)

func TestErrorMapping(t *testing.T) {
	eachMode(t, func(t *testing.T, c *client.Client) {
		ctx := ctxT(t)
		_, err := c.Query(ctx, "nope", client.QueryRequest{SQL: "SELECT 1"})
		var ae *client.APIError
		if !errors.As(err, &ae) || ae.Status != 404 || ae.Code != client.CodeNotFound || ae.Message != "Database not found." {
			t.Errorf("unknown db: %#v", err)
		}
		if !client.IsNotFound(err) {
			t.Error("IsNotFound = false")
		}

		spawn(t, c, "e")
		_, err = c.Query(ctx, "e", client.QueryRequest{SQL: "SELEC 1"})
		if !errors.As(err, &ae) || ae.Status != 400 || !client.IsSQLError(err) || !strings.HasPrefix(ae.Message, "SQL Error: ") ||
			!strings.Contains(ae.Message, "syntax error") {
			t.Errorf("bad SQL: %#v", err)
		}
		_, err = c.Query(ctx, "e", client.QueryRequest{SQL: "SELECT 1; SELECT 2"})
		if !errors.As(err, &ae) || ae.Status != 400 || !strings.Contains(ae.Message, "one SQL statement") {
			t.Errorf("two statements: %#v", err)
		}
		_, err = c.Spawn(ctx, "bad name!")
		if !errors.As(err, &ae) || ae.Code != client.CodeInvalidName {
			t.Errorf("bad name: %#v", err)
		}
		if _, err := c.Query(ctx, "", client.QueryRequest{SQL: "SELECT 1"}); err == nil {
			t.Error("empty db name: want an error")
		}
	})
}

func TestUnauthorized(t *testing.T) {
	const key = "dbf_client-test-key"
	srv := keyServer(t, key)
	ctx := ctxT(t)

	anon := client.New(srv.URL)
	_, err := anon.ListDatabases(ctx, false)
	var ae *client.APIError
	if !client.IsUnauthorized(err) || !errors.As(err, &ae) || !strings.HasPrefix(ae.Message, "Missing API Key") {
		t.Errorf("no key: %v", err)
	}
	wrong := client.New(srv.URL, client.WithAPIKey("dbf_wrong"))
	if _, err := wrong.Spawn(ctx, "x"); !client.IsUnauthorized(err) || !strings.Contains(err.Error(), "Invalid API Key.") {
		t.Errorf("wrong key: %v", err)
	}
	good := client.New(srv.URL, client.WithAPIKey(key))
	if _, err := good.Spawn(ctx, "x"); err != nil {
		t.Errorf("right key: %v", err)
	}
	// open routes need no key
	if err := anon.Ping(ctx); err != nil {
		t.Errorf("ping without key: %v", err)
	}
	if caps, err := anon.Capabilities(ctx); err != nil || !caps.Extended {
		t.Errorf("capabilities without key: %+v, %v", caps, err)
	}
}

func TestUnreachable(t *testing.T) {
	addr := testserve.FreeAddr(t) // nothing listens there now
	c := client.New("http://"+addr, client.WithRetries(0))
	err := c.Ping(ctxT(t))
	if !client.IsUnreachable(err) || !strings.Contains(err.Error(), "gateway unreachable at http://"+addr) {
		t.Errorf("err = %v", err)
	}
	var ae *client.APIError
	if errors.As(err, &ae) {
		t.Error("a connection failure must not be an APIError")
	}
	bad := client.New("not a url")
	if err := bad.Ping(ctxT(t)); err == nil || !strings.Contains(err.Error(), "invalid gateway URL") {
		t.Errorf("bad URL: %v", err)
	}
}

// The error text is one terminal-safe line whatever the server sent.
func TestAPIErrorText(t *testing.T) {
	e := &client.APIError{Status: 400, Code: client.CodeSQL, Message: "SQL Error: near \"\x1b[31m\": boom\nsecond line"}
	s := e.Error()
	if strings.ContainsAny(s, "\x1b\n") {
		t.Errorf("Error() = %q", s)
	}
	if !strings.HasPrefix(s, "dbforge: 400 SQL_ERROR: SQL Error: near") {
		t.Errorf("Error() = %q", s)
	}
}
