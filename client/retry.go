package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"
)

// shouldRetry decides whether resty repeats a call (see WithRetries).
func shouldRetry(resp *resty.Response, err error) bool {
	if resp == nil || resp.Request == nil {
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if err != nil && neverSent(err) {
		return true
	}
	if isRead(resp.Request.Context()) {
		// a POST that only reads: repeated when the gateway says it was
		// too busy to run it and when to come back (503 SERVER_BUSY)
		return err == nil && serverBusy(resp)
	}
	if !idempotent(resp.Request.Method) {
		return false
	}
	if err != nil {
		return true
	}
	switch resp.StatusCode() {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusGatewayTimeout:
		return true
	case http.StatusServiceUnavailable:
		// transient only when the server says when to come back (a locked
		// database, a busy server); an unhealthy gateway answers 503 without it
		return serverBusy(resp)
	}
	return false
}

// serverBusy is the gateway's 503 that says nothing ran and when to try
// again: SERVER_BUSY (a full result memory budget, every open database in
// use) or DATABASE_LOCKED, both sent with Retry-After.
func serverBusy(resp *resty.Response) bool {
	return resp.StatusCode() == http.StatusServiceUnavailable && resp.Header().Get("Retry-After") != ""
}

// readKey marks a request's context as a read sent by POST.
type readKey struct{}

// markRead marks ctx's request as one that only reads.
func markRead(ctx context.Context) context.Context { return context.WithValue(ctx, readKey{}, true) }

// isRead reports a request marked by markRead.
func isRead(ctx context.Context) bool { return ctx != nil && ctx.Value(readKey{}) == true }

// idempotent methods may be repeated: running them twice has the effect of
// running them once.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// neverSent reports a failure to open the connection: the request cannot
// have reached the server, so even a POST may be sent again.
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// retryAfter honours a Retry-After header given in seconds (the gateway
// sends one with 503 DATABASE_LOCKED); 0 lets resty use its backoff.
func retryAfter(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
	if resp == nil {
		return 0, nil
	}
	if s := resp.Header().Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return time.Duration(n) * time.Second, nil
		}
	}
	return 0, nil
}
