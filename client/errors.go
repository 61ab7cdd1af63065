package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/dbforge/dbforge/internal/sanitize"
)

// ErrUnsupported is returned (wrapped) by methods whose route the server
// does not offer, typically an MK1 gateway asked for a DB-Forge extension.
// Test for it with errors.Is.
var ErrUnsupported = errors.New("not available on this gateway")

// Error codes the gateway sends in error.code (see API.md): the one list,
// which the gateway answers with too. Against an MK1 gateway, which sends
// none, the client infers the common ones.
const (
	CodeInvalidName   = "INVALID_DATABASE_NAME"
	CodeInvalidIdent  = "INVALID_IDENTIFIER"
	CodeNotFound      = "DATABASE_NOT_FOUND"
	CodeStopped       = "DATABASE_STOPPED"
	CodeExists        = "DATABASE_ALREADY_EXISTS"
	CodeSQL           = "SQL_ERROR"
	CodeTimeout       = "QUERY_TIMEOUT"
	CodeLocked        = "DATABASE_LOCKED"
	CodeTooLarge      = "PAYLOAD_TOO_LARGE"
	CodeBadRequest    = "BAD_REQUEST"
	CodeValidation    = "VALIDATION_ERROR"
	CodeUnauthorized  = "UNAUTHORIZED"
	CodeForbidden     = "FORBIDDEN"
	CodeInternal      = "INTERNAL"
	CodeRouteNotFound = "NOT_FOUND"

	// DB-Forge's own, beyond MK1's
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	CodeLimitReached     = "DATABASE_LIMIT_REACHED"
	CodeQuotaExceeded    = "QUOTA_EXCEEDED"
	CodeUnavailable      = "SERVICE_UNAVAILABLE"
	CodeCanceled         = "REQUEST_CANCELED"
	CodeTooMany          = "TOO_MANY_REQUESTS"
	CodeKeyNotFound      = "KEY_NOT_FOUND"
	CodeResultTooLarge   = "RESULT_TOO_LARGE"
	CodeDamaged          = "DATABASE_DAMAGED"
	CodeStorageFull      = "STORAGE_FULL"
	CodeServerBusy       = "SERVER_BUSY"
	CodeBodyTimeout      = "REQUEST_TIMEOUT" // the request body arrived too slowly
	CodeUnsupportedMedia = "UNSUPPORTED_MEDIA_TYPE"
	CodeTemplateNotFound = "TEMPLATE_NOT_FOUND"
	CodeBackupNotFound   = "BACKUP_NOT_FOUND" // a restore from a backup that does not exist (404)
)

// APIError is every non-2xx answer of the gateway. Message is the server's
// text as sent (sanitize it before drawing it on a terminal; Error does).
type APIError struct {
	Status  int    // HTTP status code
	Code    string // error.code, or inferred from status and message for MK1
	Message string // error.message, or MK1's detail
}

// Error implements error with a one-line, terminal-safe text.
func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	if e.Code != "" {
		return fmt.Sprintf("dbforge: %d %s: %s", e.Status, e.Code, sanitize.Line(msg))
	}
	return fmt.Sprintf("dbforge: %d: %s", e.Status, sanitize.Line(msg))
}

// UnreachableError reports that no HTTP answer came back from the gateway:
// connection refused, DNS failure, reset, TLS failure and so on.
type UnreachableError struct {
	URL string // base URL of the gateway
	Err error  // the transport's error
}

// Error names the gateway and the transport's failure.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("gateway unreachable at %s: %v", e.URL, e.Err)
}

// Unwrap returns the transport's error.
func (e *UnreachableError) Unwrap() error { return e.Err }

// asAPIError finds an *APIError in err's chain.
func asAPIError(err error) (*APIError, bool) {
	var ae *APIError
	ok := errors.As(err, &ae)
	return ae, ok
}

// IsNotFound reports whether err is a 404: an unknown database, instance,
// table route or snapshot.
func IsNotFound(err error) bool {
	ae, ok := asAPIError(err)
	return ok && ae.Status == http.StatusNotFound
}

// IsUnauthorized reports whether err is a 401: a missing or wrong API key.
func IsUnauthorized(err error) bool {
	ae, ok := asAPIError(err)
	return ok && ae.Status == http.StatusUnauthorized
}

// IsForbidden reports whether err is a 403: the key lacks the role or scope.
func IsForbidden(err error) bool {
	ae, ok := asAPIError(err)
	return ok && ae.Status == http.StatusForbidden
}

// IsSQLError reports whether SQLite rejected the statement; the message
// starts with "SQL Error: " followed by SQLite's own text.
func IsSQLError(err error) bool {
	ae, ok := asAPIError(err)
	return ok && ae.Code == CodeSQL
}

// IsStopped reports whether the database is pruned (stopped) and must be
// spawned again before use.
func IsStopped(err error) bool {
	ae, ok := asAPIError(err)
	return ok && ae.Code == CodeStopped
}

// IsTimeout reports whether the statement ran past the server's query
// timeout and was interrupted.
func IsTimeout(err error) bool {
	ae, ok := asAPIError(err)
	return ok && (ae.Code == CodeTimeout || ae.Status == http.StatusRequestTimeout)
}

// IsUnreachable reports whether the gateway could not be reached at all.
func IsUnreachable(err error) bool {
	var ue *UnreachableError
	return errors.As(err, &ue)
}

// errorBody holds both error shapes: DB-Forge's error object and MK1's
// detail, which FastAPI sends as a string or a list of validation errors.
type errorBody struct {
	Detail json.RawMessage `json:"detail"`
	Error  *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// validationItem is one entry of FastAPI's 422 detail list.
type validationItem struct {
	Loc []any  `json:"loc"`
	Msg string `json:"msg"`
}

// parseAPIError builds the error for a non-2xx answer from its body.
func parseAPIError(status int, body []byte) *APIError {
	e := &APIError{Status: status}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		if eb.Error != nil {
			e.Code, e.Message = eb.Error.Code, eb.Error.Message
		}
		if e.Message == "" {
			e.Message = detailText(eb.Detail)
		}
	}
	if e.Message == "" {
		e.Message = strings.TrimSpace(string(body))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200] + "…"
		}
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if e.Code == "" {
		e.Code = inferCode(status, e.Message)
	}
	return e
}

// detailText renders MK1's detail: a string as is, a validation list as
// "loc: msg; loc: msg".
func detailText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var items []validationItem
	if json.Unmarshal(raw, &items) == nil {
		parts := make([]string, 0, len(items))
		for _, it := range items {
			loc := make([]string, 0, len(it.Loc))
			for _, l := range it.Loc {
				switch v := l.(type) {
				case string:
					loc = append(loc, v)
				case float64:
					loc = append(loc, strconv.FormatFloat(v, 'f', -1, 64))
				}
			}
			if len(loc) > 0 {
				parts = append(parts, strings.Join(loc, ".")+": "+it.Msg)
			} else {
				parts = append(parts, it.Msg)
			}
		}
		return strings.Join(parts, "; ")
	}
	return strings.TrimSpace(string(raw))
}

// inferCode gives MK1's code-less errors the code DB-Forge would send.
func inferCode(status int, msg string) string {
	switch {
	case strings.HasPrefix(msg, "SQL Error:"):
		return CodeSQL
	case status == http.StatusNotFound && (msg == "Database not found." || msg == "Database instance not found."):
		return CodeNotFound
	case status == http.StatusNotFound:
		return CodeRouteNotFound
	case status == http.StatusBadRequest && msg == "Invalid database name.":
		return CodeInvalidName
	case status == http.StatusBadRequest:
		return CodeBadRequest
	case status == http.StatusUnauthorized:
		return CodeUnauthorized
	case status == http.StatusForbidden:
		return CodeForbidden
	case status == http.StatusRequestEntityTooLarge:
		return CodeTooLarge
	case status == http.StatusUnprocessableEntity:
		return CodeValidation
	case status >= 500:
		return CodeInternal
	}
	return ""
}
