package server

import (
	"errors"
	"net/http"

	"integritas/survey"
)

// Refusals of open-link submissions (see respond_open.go).
var (
	errOpenForm     = errors.New("server: open-link form missing, forged or for another unit")
	errOpenExpired  = errors.New("server: open-link form expired")
	errOpenReplayed = errors.New("server: open-link form already sent")
	errOpenCookie   = errors.New("server: open-link answer without the device cookie")
	errOpenCapped   = errors.New("server: open-link cap reached")
)

// openStatus maps the open-link refusals to status and message; status()
// asks it first.
func openStatus(err error) (int, string, bool) {
	switch {
	case errors.Is(err, errOpenForm):
		return http.StatusBadRequest, "error.open_form", true
	case errors.Is(err, errOpenExpired):
		return http.StatusConflict, "error.open_expired", true
	case errors.Is(err, errOpenReplayed), errors.Is(err, survey.ErrReplayed):
		return http.StatusConflict, "error.open_replayed", true
	case errors.Is(err, errOpenCookie):
		return http.StatusForbidden, "error.open_cookie", true
	case errors.Is(err, errOpenCapped), errors.Is(err, survey.ErrCapped):
		return http.StatusTooManyRequests, "error.open_capped", true
	}
	return 0, "", false
}
