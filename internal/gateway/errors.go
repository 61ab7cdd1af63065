package gateway

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/engine"
	"github.com/dbforge/dbforge/internal/jsonvalue"
)

// Messages MK1 clients compare verbatim.
const (
	msgInvalidName   = "Invalid database name."
	msgNotFound      = "Database not found."
	msgInstNotFound  = "Database instance not found."
	msgMissingKey    = "Missing API Key. Provide it in the X-API-Key header."
	msgInvalidKey    = "Invalid API Key."
	msgInternal      = "Internal server error."
	msgTooLarge      = "Request body too large."
	statusCanceled   = 499 // the client went away; nobody reads this answer
	retryAfterLocked = "1"
)

// apiError is one error answer: an HTTP status, a stable code and a message
// for people (sent as both "detail", for MK1 clients, and error.message).
//
// Status choices beyond MK1: a body that is not JSON is 400 BAD_REQUEST; a
// JSON body with a missing or mistyped field is 422 VALIDATION_ERROR, as
// FastAPI answered MK1 clients. A locked database is 503 DATABASE_LOCKED
// with Retry-After: the condition is transient and the request may be
// repeated as is. Database count and size limits are 409, because the
// request is fine and the state of the server refuses it.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(msg string) *apiError {
	return &apiError{http.StatusBadRequest, client.CodeBadRequest, msg}
}
func invalid(msg string) *apiError {
	return &apiError{http.StatusUnprocessableEntity, client.CodeValidation, msg}
}

// appendError encodes the two-shaped error body.
func appendError(b []byte, e *apiError) []byte {
	b = append(b, `{"detail":`...)
	b = jsonvalue.AppendString(b, e.msg)
	b = append(b, `,"error":{"code":`...)
	b = jsonvalue.AppendString(b, e.code)
	b = append(b, `,"message":`...)
	b = jsonvalue.AppendString(b, e.msg)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	return append(b, "}}"...)
}

// writeError sends e as the response.
func writeError(w http.ResponseWriter, e *apiError) {
	h := w.Header()
	if e.code == client.CodeLocked || e.code == client.CodeTooMany || e.code == client.CodeServerBusy {
		h.Set("Retry-After", retryAfterLocked)
	}
	if e.status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="dbforge"`)
	}
	writeRaw(w, e.status, appendError(make([]byte, 0, 160), e))
}

// engineError maps an error from the engine (or from reading the request)
// to its answer. Unknown errors become a 500 whose cause is logged, never
// sent.
func (g *Gateway) engineError(r *http.Request, err error) *apiError {
	var ae *apiError
	var sqlErr *engine.SQLError
	var badIn *engine.BadInputError
	var tooLarge *http.MaxBytesError
	var tooBig *engine.TooLargeError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &tooLarge):
		return &apiError{http.StatusRequestEntityTooLarge, client.CodeTooLarge,
			msgTooLarge + " The limit is " + strconv.FormatInt(tooLarge.Limit, 10) + " bytes."}
	case errors.As(err, &sqlErr):
		return &apiError{http.StatusBadRequest, client.CodeSQL, sqlErr.Error()}
	case errors.As(err, &badIn):
		return badRequest(badIn.Msg)
	case errors.Is(err, engine.ErrInvalidName):
		return &apiError{http.StatusBadRequest, client.CodeInvalidName, msgInvalidName}
	case errors.Is(err, engine.ErrInvalidIdentifier):
		return &apiError{http.StatusBadRequest, client.CodeInvalidIdent, sentence(err.Error())}
	case errors.Is(err, engine.ErrNotFound):
		return &apiError{http.StatusNotFound, client.CodeNotFound, msgNotFound}
	case errors.Is(err, engine.ErrStopped):
		return &apiError{http.StatusConflict, client.CodeStopped, "Database is stopped (pruned); spawn it again to use it."}
	case errors.Is(err, engine.ErrExists):
		return &apiError{http.StatusConflict, client.CodeExists, "Database already exists."}
	case errors.Is(err, engine.ErrMultipleStatements):
		return badRequest("Only one SQL statement per call is allowed.")
	case errors.Is(err, engine.ErrEmptyStatement):
		return badRequest("No SQL statement given.")
	case errors.Is(err, engine.ErrTimeout):
		return &apiError{http.StatusRequestTimeout, client.CodeTimeout, "Query exceeded the time limit and was interrupted."}
	case errors.Is(err, engine.ErrLocked):
		return &apiError{http.StatusServiceUnavailable, client.CodeLocked, "Database is locked by another writer; retry shortly."}
	case errors.Is(err, engine.ErrTooManyDatabases):
		return &apiError{http.StatusConflict, client.CodeLimitReached, "Database limit reached; delete a database first."}
	case errors.As(err, &tooBig):
		// 422: the request is well-formed but its answer would pass the
		// server's result budget (413 is about the request's own body)
		return &apiError{http.StatusUnprocessableEntity, client.CodeResultTooLarge, tooBig.Error()}
	case errors.Is(err, engine.ErrDamaged):
		return &apiError{http.StatusConflict, client.CodeDamaged, "The database file is damaged or is not an SQLite database; restore a backup or delete it."}
	case errors.Is(err, engine.ErrStorageFull):
		// 507: the server's disk, not the request or a quota, refuses it
		return &apiError{http.StatusInsufficientStorage, client.CodeStorageFull, "The server's storage is full; the statement was rolled back."}
	case errors.Is(err, engine.ErrQuotaExceeded):
		return &apiError{http.StatusConflict, client.CodeQuotaExceeded, "Database size quota exceeded; the statement was rolled back."}
	case errors.Is(err, engine.ErrTooManyQueries):
		return &apiError{http.StatusTooManyRequests, client.CodeTooMany, "Too many queries running on this database; retry shortly."}
	case errors.Is(err, engine.ErrTooManyOpen):
		// 503: the open-file budget is in use; the same request may succeed shortly
		return &apiError{http.StatusServiceUnavailable, client.CodeServerBusy, "The server has too many databases or files open right now; retry shortly."}
	case errors.Is(err, engine.ErrResultMemoryBusy):
		// 503: the server's memory for large results is in use by other
		// calls; the same request may succeed shortly
		return &apiError{http.StatusServiceUnavailable, client.CodeServerBusy, "The server is busy with other large results (max_result_memory); retry shortly, or ask for fewer rows or smaller values."}
	case errors.Is(err, engine.ErrSessionsBusy):
		// 503: every session the gateway may hold on the database server
		// (serve --postgres-sessions) is in use by other calls
		return &apiError{http.StatusServiceUnavailable, client.CodeServerBusy, "Every database server session the gateway may open is in use right now; retry shortly."}
	case errors.Is(err, engine.ErrServerBusy):
		return &apiError{http.StatusServiceUnavailable, client.CodeServerBusy, "The server is busy; retry shortly."}
	case errors.Is(err, engine.ErrKeyNotFound):
		return &apiError{http.StatusNotFound, client.CodeKeyNotFound, "API key not found."}
	case errors.Is(err, engine.ErrReadOnly):
		return &apiError{http.StatusForbidden, client.CodeForbidden, "Read-only: this statement writes, and the key or request allows only statements that do not write."}
	case errors.Is(err, engine.ErrClosed):
		return &apiError{http.StatusServiceUnavailable, client.CodeUnavailable, "The server is shutting down."}
	case errors.Is(err, context.Canceled):
		return &apiError{statusCanceled, client.CodeCanceled, "Request canceled by the client."}
	}
	g.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
		slog.String("pattern", r.Pattern), slog.String("error", err.Error()))
	return &apiError{http.StatusInternalServerError, client.CodeInternal, msgInternal}
}

// sentence capitalises an error string and ends it with a period.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
