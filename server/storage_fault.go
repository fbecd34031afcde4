package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// retryAfter is what a client is told to wait after a storage fault: long
// enough for an operator to free space, short enough for a respondent.
const retryAfter = "120"

// busyRetryAfter is what a client is told to wait when the answer writer's
// queue is full: overload passes in seconds, not minutes.
const busyRetryAfter = "10"

// errStorage is a full disk, an I/O error or a corrupt database file: the
// request did nothing and the client may try again later (503).
type storageError struct{ err error }

func (e *storageError) Error() string { return "server: storage fault: " + e.err.Error() }
func (e *storageError) Unwrap() error { return e.err }

// storageFault reports whether err is a storage fault, and remembers a
// corrupt file in the store so that later writes are refused outright.
func (s *Server) storageFault(err error) bool {
	s.store.Note(err)
	return survey.Corrupt(err) || survey.Full(err)
}

// refuseWritesWhenCorrupt answers every state-changing request with 503 once
// the database has been seen to be malformed: an answer written into a
// corrupt file may be lost with it, and the respondent is better told to
// come back than thanked.
func (s *Server) refuseWritesWhenCorrupt(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	if s.store.IsCorrupt() {
		s.fail(c, &storageError{survey.ErrCorrupt})
		return
	}
	c.Next()
}

// healthz answers 200 when one row of every core table reads back, the file
// has not been seen corrupt, and the disk has the configured headroom; the
// body reports the free space either way.
func (s *Server) healthz(c *gin.Context) {
	h := s.store.Health(c.Request.Context())
	body := gin.H{"status": "ok", "free_bytes": h.FreeBytes, "min_free_bytes": h.MinFree}
	if !h.OK() {
		s.log.Error("healthz", "err", h.Err, "corrupt", h.Corrupt)
		body["status"] = "unavailable"
		body["corrupt"] = h.Corrupt
		if survey.Full(h.Err) {
			body["disk"] = "low"
		}
		c.JSON(http.StatusServiceUnavailable, body)
		return
	}
	c.JSON(http.StatusOK, body)
}

// notSaved answers a respondent whose answers a storage fault kept from
// being stored: 503 with Retry-After and the same form, filled in as it was
// sent, saying the answers are not saved yet and to press Kirim again in a
// few minutes. A generic error page would lose everything they typed.
func (s *Server) notSaved(c *gin.Context, err error, v formView) {
	v.notice = "robust.respond.not_saved"
	if s.turnedAway(c, err) {
		v.notice = "robust.respond.busy"
	} else {
		s.log.Error("answers not stored", "route", c.FullPath(), "err", err)
		c.Header("Retry-After", retryAfter)
	}
	s.showForm(c, http.StatusServiceUnavailable, v)
}

// turnedAway handles a submission the writer's full queue turned away:
// overload, not a fault, so a warning and a short Retry-After. It reports
// whether err was that.
func (s *Server) turnedAway(c *gin.Context, err error) bool {
	if !errors.Is(err, survey.ErrCommitterBusy) {
		return false
	}
	s.log.Warn("answers not taken: writer queue full", "route", c.FullPath())
	c.Header("Retry-After", busyRetryAfter)
	return true
}

// notStored reports whether a submission's error leaves the respondent
// with answers to send again (a storage fault, or the writer's queue full),
// so that the form is shown again, filled in, rather than an error page.
func (s *Server) notStored(err error) bool {
	return err != nil && (errors.Is(err, survey.ErrCommitterBusy) || s.storageFault(err))
}

// unitByID is the period's unit with this id (zero if unknown).
func (e *periodEntry) unitByID(id int64) survey.Unit {
	for _, u := range e.units {
		if u.ID == id {
			return u
		}
	}
	return survey.Unit{}
}
