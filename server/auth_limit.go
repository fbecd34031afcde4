package server

import (
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"integritas/survey"
)

// Login throttling, in memory, beside the account lockout kept in the
// database. It counts failures per e-mail typed — whether or not the
// account exists, so a locked-out unknown address answers exactly like a
// locked-out real one — and per client address, which also has a plain
// request rate so one address cannot spray many accounts.
const (
	ipLockoutAfter = 20              // failures from one address before its back-off
	ipLoginRate    = rate.Limit(0.5) // login posts per second per address, sustained
	ipLoginBurst   = 20
	limiterMaxKeys = 50_000 // above this, stale entries are swept
)

type loginLimiter struct {
	mu      sync.Mutex
	entries map[string]*attempts
	nodes   *nodeShare // servers sharing the database: counts are shares
}

type attempts struct {
	failures int
	until    time.Time // locked until
	last     time.Time
	rate     *rate.Limiter // per address only
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{entries: map[string]*attempts{}}
}

// emailKey is one (e-mail, address) pair: failures from one address never
// hold back the same e-mail from another (an attacker cannot lock the owner).
func emailKey(email, ip string) string {
	return "email:" + strings.ToLower(strings.TrimSpace(email)) + " " + ip
}
func ipKey(ip string) string { return "ip:" + ip }

// allow reports whether a login attempt for email from ip may proceed at
// now: neither is in a back-off and the address is within its rate.
func (l *loginLimiter) allow(email, ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.entry(ipKey(ip), now)
	n := l.nodes.get()
	if limit := ipLoginRate / rate.Limit(n); a.rate == nil {
		a.rate = rate.NewLimiter(limit, (ipLoginBurst+n-1)/n)
	} else if a.rate.Limit() != limit { // the number of servers changed
		a.rate.SetLimitAt(now, limit)
		a.rate.SetBurstAt(now, (ipLoginBurst+n-1)/n)
	}
	if now.Before(a.until) || !a.rate.AllowN(now, 1) {
		return false
	}
	return !now.Before(l.entry(emailKey(email, ip), now).until)
}

// failed counts a failed attempt and starts a back-off past the thresholds.
func (l *loginLimiter) failed(email, ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.nodes.get() // this server's counts are its share of the whole
	e := l.entry(emailKey(email, ip), now)
	e.failures++
	if d := survey.LockoutDelay(e.failures * n); d > 0 {
		e.until = now.Add(d)
	}
	a := l.entry(ipKey(ip), now)
	a.failures++
	if all := a.failures * n; all >= ipLockoutAfter {
		a.until = now.Add(survey.LockoutDelay(all - ipLockoutAfter + survey.LockoutAfter))
	}
}

// succeeded forgets the pair's failures (not the address's).
func (l *loginLimiter) succeeded(email, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, emailKey(email, ip))
}

func (l *loginLimiter) entry(key string, now time.Time) *attempts {
	a, ok := l.entries[key]
	if !ok {
		if len(l.entries) >= limiterMaxKeys {
			l.sweep(now)
		}
		a = &attempts{}
		l.entries[key] = a
	}
	a.last = now
	return a
}

// sweep drops entries not locked and untouched for an hour.
func (l *loginLimiter) sweep(now time.Time) {
	for k, a := range l.entries {
		if now.After(a.until) && now.Sub(a.last) > time.Hour {
			delete(l.entries, k)
		}
	}
}
