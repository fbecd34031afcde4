package server

import (
	"net"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// hsts tells browsers to use HTTPS only, when this process serves TLS
// itself (behind a proxy, the proxy sets it).
func (s *Server) hsts(c *gin.Context) {
	if s.cfg.TLSCert != "" {
		c.Header("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// Without --trusted-proxies a reverse proxy's own address is every
// client's address, and the per-address limits then throttle a whole city
// as one. That looks like many requests from one private address; warn.
const (
	proxyWarnRequests = 600 // from one private address in proxyWarnWindow
	proxyWarnWindow   = time.Minute
)

// proxyHint counts requests per private address over a window.
type proxyHint struct {
	mu     sync.Mutex
	start  time.Time
	counts map[string]int
	warned bool
}

// proxyWarning logs once when one private address sends more than
// proxyWarnRequests requests within a window and no proxy is trusted.
func (s *Server) proxyWarning(c *gin.Context) {
	if len(s.cfg.TrustedProxies) == 0 {
		if ip := net.ParseIP(c.ClientIP()); ip != nil && ip.IsPrivate() && s.proxyHint.count(ip.String(), time.Now()) {
			s.log.Warn("many requests from one private address and no --trusted-proxies: if a reverse proxy sits in front, every client shares its address and the rate limits throttle them all together; set --trusted-proxies",
				"addr", ip.String(), "requests", proxyWarnRequests, "window", proxyWarnWindow.String())
		}
	}
	c.Next()
}

// count records a request and reports whether the warning is due (once).
func (h *proxyHint) count(addr string, now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.warned {
		return false
	}
	if h.counts == nil || now.Sub(h.start) > proxyWarnWindow {
		h.start, h.counts = now, map[string]int{}
	}
	h.counts[addr]++
	if h.counts[addr] > proxyWarnRequests {
		h.warned = true
		return true
	}
	return false
}
