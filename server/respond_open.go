package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// deviceCookie holds a random first-party value that tells two submissions
// from one browser apart from two browsers. It is never stored: only a hash
// salted per period is (see deviceHash).
const deviceCookie = "integritas_device"

// openLink resolves /r/:period/:unit to a unit taking part in the period.
func (s *Server) openLink(c *gin.Context) (*periodEntry, survey.Unit, error) {
	e, err := s.respondPeriod(c.Request.Context(), c.Param("period"))
	if err != nil {
		return nil, survey.Unit{}, err
	}
	u, err := e.unit(c.Param("unit"))
	return e, u, err
}

// openForm shows the public questionnaire of a unit (external respondents)
// and gives the browser its device cookie.
func (s *Server) openForm(c *gin.Context) {
	e, u, err := s.openLink(c)
	if err == nil {
		err = s.accepting(e.p)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.deviceID(c, true)
	s.showForm(c, http.StatusOK, formView{inst: e.p.Instrument, typ: survey.External, unitName: u.Name,
		action: c.Request.URL.Path, openLink: true, started: s.startStamp(0)})
}

// openSubmit stores a public response. Each client address has a bucket of
// submissions (429 when empty); a second response from the same browser is
// stored like any other and carries the same device hash, so the analysis
// can flag it as a duplicate — nothing is silently dropped.
func (s *Server) openSubmit(c *gin.Context) {
	if ok, wait := s.resp.limiter.allow(c.ClientIP(), s.now()); !ok {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		s.fail(c, errRateLimited)
		return
	}
	e, u, err := s.openLink(c)
	if err == nil {
		err = s.accepting(e.p)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	in, err := readForm(c)
	if err != nil {
		s.fail(c, formErr(err))
		return
	}
	a, probs := e.p.Instrument.ParseAnswers(survey.External, in.answers)
	if len(probs) > 0 {
		s.showForm(c, http.StatusUnprocessableEntity, formView{inst: e.p.Instrument, typ: survey.External, unitName: u.Name,
			action: c.Request.URL.Path, openLink: true, answers: in.answers, problems: probs, started: s.keepStart(in.started)})
		return
	}
	err = s.committer.Submit(c.Request.Context(), &survey.Submission{Response: survey.NewResponse{
		PeriodID: e.p.ID, UnitID: u.ID, Type: survey.External, Channel: survey.ChannelOpen,
		Duration: s.duration(in.started), Lang: in.lang, Answers: a,
		DeviceHash: deviceHash(e.p.DeviceSalt, s.deviceID(c, false), c.Request.UserAgent())}})
	if err != nil && s.storageFault(err) {
		s.notSaved(c, err, formView{inst: e.p.Instrument, typ: survey.External, unitName: u.Name,
			action: c.Request.URL.Path, openLink: true, answers: in.answers, started: s.keepStart(in.started)})
		return
	}
	if err != nil {
		s.fail(c, submitErr(err))
		return
	}
	c.Redirect(http.StatusSeeOther, "/thanks")
}

// deviceID returns the browser's device cookie value, setting a fresh one
// when asked and none (or a malformed one) came with the request; "" when
// there is none.
func (s *Server) deviceID(c *gin.Context, set bool) string {
	if v, err := c.Cookie(deviceCookie); err == nil && len(v) == 22 {
		if b, err := base64.RawURLEncoding.DecodeString(v); err == nil && len(b) == 16 {
			return v
		}
	}
	if !set {
		return ""
	}
	b := make([]byte, 16)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(c.Writer, &http.Cookie{Name: deviceCookie, Value: v, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.cfg.CookieSecure, SameSite: http.SameSiteLaxMode})
	return v
}

// deviceHash is the salted device fingerprint stored with an open-link
// response: SHA-256(period salt, cookie value, User-Agent). The client's IP
// address is deliberately left out: a salted hash of an IPv4 address can be
// brute-forced back over its 2^32 values. Without a cookie there is no
// fingerprint (nil), rather than one that every cookieless browser shares.
func deviceHash(salt []byte, id, userAgent string) []byte {
	if id == "" {
		return nil
	}
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte{0})
	h.Write([]byte(id))
	h.Write([]byte{0})
	h.Write([]byte(userAgent))
	return h.Sum(nil)
}
