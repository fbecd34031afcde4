package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// Errors of the HTTP layer itself.
var (
	errInternal    = errors.New("server: internal error")
	errBadRequest  = errors.New("server: bad request")
	errForbidden   = errors.New("server: forbidden")
	errTooLarge    = errors.New("server: request too large")
	errRateLimited = errors.New("server: rate limited")
	errNotFound    = survey.ErrNotFound
	errMethod      = errors.New("server: method not allowed")
	errInvalidText = errors.New("server: a form field holds invalid UTF-8 or NUL")

	// Respondents.
	errLinkUnknown    = errors.New("server: unknown invitation link")
	errLinkGone       = errors.New("server: invitation link already used") // pages: 410; the API answers 409
	errSurveyClosed   = errors.New("server: survey not accepting answers")
	errInvalidAnswers = errors.New("server: invalid answers")
	errInvalidJSON    = errors.New("server: invalid JSON")
)

// errUnauthorized means nobody is signed in (or the API token is not valid).
var errUnauthorized = errors.New("server: not signed in")

// paramError is a request parameter the dashboard cannot use; its message
// names the parameter (error.bad_param.<name>), never echoing the value.
type paramError struct{ name string }

func (e *paramError) Error() string { return "server: bad parameter " + e.name }

// badParam reports an unusable request parameter: a 400 that says which.
func badParam(name string) error { return &paramError{name: name} }

// status maps an error to its HTTP status and message key, in one place.
func status(err error) (int, string) {
	if code, key, ok := openStatus(err); ok { // open_errors.go
		return code, key
	}
	var mbe *http.MaxBytesError
	var se *storageError
	switch {
	case errors.As(err, &se):
		return http.StatusServiceUnavailable, "robust.storage"
	case errors.Is(err, survey.ErrCommitterBusy):
		return http.StatusServiceUnavailable, "robust.busy"
	// Respondents: specific pages first, before the generic cases below.
	case errors.Is(err, errLinkGone):
		return http.StatusGone, "error.link_used"
	case errors.Is(err, survey.ErrUsed):
		return http.StatusConflict, "error.link_used"
	case errors.Is(err, errLinkUnknown):
		return http.StatusNotFound, "error.link_unknown"
	case errors.Is(err, errSurveyClosed):
		return http.StatusConflict, "error.survey_closed"
	case errors.Is(err, errInvalidAnswers):
		return http.StatusUnprocessableEntity, "error.invalid_answers"
	case errors.Is(err, errInvalidJSON):
		return http.StatusBadRequest, "error.invalid_json"
	case errors.Is(err, survey.ErrNotFound):
		return http.StatusNotFound, "error.not_found"
	case errors.Is(err, errUnauthorized):
		return http.StatusUnauthorized, "error.unauthorized"
	case errors.As(err, new(*survey.AccountError)):
		return http.StatusBadRequest, "error.bad_request"
	case errors.Is(err, errForbidden):
		return http.StatusForbidden, "error.forbidden"
	case errors.Is(err, survey.ErrConflict), errors.Is(err, survey.ErrUsed), errors.Is(err, survey.ErrClosed):
		return http.StatusConflict, "error.conflict"
	case errors.As(err, &mbe), errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge, "error.too_large"
	case errors.Is(err, errRateLimited):
		return http.StatusTooManyRequests, "error.rate_limited"
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed, "error.bad_request"
	case errors.Is(err, errBadRequest):
		return http.StatusBadRequest, "error.bad_request"
	case errors.Is(err, errInvalidText):
		return http.StatusBadRequest, "error.invalid_text"
	case errors.Is(err, survey.ErrControlChars):
		return http.StatusBadRequest, "robust.name.control"
	}
	if pe := (*paramError)(nil); errors.As(err, &pe) {
		return http.StatusBadRequest, "error.bad_param." + pe.name
	}
	return http.StatusInternalServerError, "error.internal"
}

// fail answers with the error's status: JSON under /api, a page elsewhere.
// Server errors are logged once, here; their details never reach the client.
func (s *Server) fail(c *gin.Context, err error) {
	code, key := s.failStatus(c, err)
	if isAPI(c) {
		c.AbortWithStatusJSON(code, gin.H{"error": gin.H{"code": strings.TrimPrefix(key, "error."), "message": s.tr(c).T(key + ".body")}})
		return
	}
	s.message(c, code, key+".title", key+".body")
	c.Abort()
}

// failStatus is what fail and apiFail share: err's status and message key
// (a storage fault as one), Retry-After on a 503, and the log line of a
// server error. A full writer queue is overload, not a fault: a warning.
func (s *Server) failStatus(c *gin.Context, err error) (int, string) {
	if s.storageFault(err) {
		err = &storageError{err}
	}
	code, key := status(err)
	if s.turnedAway(c, err) {
		return code, key
	}
	if code == http.StatusServiceUnavailable {
		c.Header("Retry-After", retryAfter)
	}
	if code >= 500 {
		s.log.Error("request failed", "route", c.FullPath(), "err", err)
	}
	return code, key
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }
