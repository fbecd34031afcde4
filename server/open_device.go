package server

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/seal"
	"integritas/survey"
)

// An open link's device cookie holds a random value that tells two
// submissions from one browser apart from two browsers. It is per period
// (its name carries the period id), lives no longer than the period, and is
// never stored: the response keeps only a MAC of it under a key derived
// from the key file with the period in the label, so the database holder
// cannot recompute it from a seized cookie, and two periods' tags of one
// browser are unrelated. The tags are dropped when the period closes.
const deviceCookiePrefix = "integritas_dev_"

// legacyDeviceCookie is the year-long cookie of earlier versions, removed
// when a browser still sends it.
const legacyDeviceCookie = "integritas_device"

// deviceCookieNoClose bounds the cookie of a period without a closing date.
const deviceCookieNoClose = 31 * 24 * time.Hour

func deviceCookieName(p *survey.Period) string { return fmt.Sprintf("%s%d", deviceCookiePrefix, p.ID) }

// deviceID returns the browser's device cookie for the period, setting a
// fresh one when asked and none (or a malformed one) came with the
// request; "" when there is none.
func (s *Server) deviceID(c *gin.Context, p *survey.Period, set bool) string {
	if v, err := c.Cookie(deviceCookieName(p)); err == nil && len(v) == 22 {
		if b, err := base64.RawURLEncoding.DecodeString(v); err == nil && len(b) == 16 {
			return v
		}
	}
	if !set {
		return ""
	}
	if _, err := c.Cookie(legacyDeviceCookie); err == nil {
		http.SetCookie(c.Writer, &http.Cookie{Name: legacyDeviceCookie, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: true, Secure: s.cfg.CookieSecure, SameSite: http.SameSiteLaxMode})
	}
	b := make([]byte, 16)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(c.Writer, &http.Cookie{Name: deviceCookieName(p), Value: v, Path: "/", MaxAge: s.deviceCookieAge(p),
		HttpOnly: true, Secure: s.cfg.CookieSecure, SameSite: http.SameSiteLaxMode})
	return v
}

// deviceCookieAge is the cookie's lifetime in seconds: until the end of the
// period's closing day (UTC), or deviceCookieNoClose without one.
func (s *Server) deviceCookieAge(p *survey.Period) int {
	now := s.now()
	end := now.Add(deviceCookieNoClose)
	if d, err := time.Parse(time.DateOnly, p.ClosesOn); err == nil {
		if closes := d.Add(24 * time.Hour); closes.Before(end) {
			end = closes
		}
	}
	return max(int(end.Sub(now).Seconds()), 60)
}

// deviceKey is the period's device-tag key.
func deviceKey(k *seal.Key, p *survey.Period) *seal.Key {
	return k.Derive(fmt.Sprintf("open/device/%d/%s", p.ID, p.Code))
}

// deviceHash is the keyed device tag stored with an open-link response
// (nil without a cookie). The client's address and User-Agent are left
// out: an address can be enumerated, and a User-Agent is the attacker's
// to change at will.
func (s *Server) deviceHash(p *survey.Period, id string) []byte {
	if id == "" {
		return nil
	}
	return deviceKey(s.store.Key(), p).MAC([]byte(id))
}
