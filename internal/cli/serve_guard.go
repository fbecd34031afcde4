package cli

import (
	"net"
	"net/url"
	"sync"
)

// maxConnsPerAddr bounds the open connections of one client address: a
// slow-body client opening hundreds of connections used to hold them all.
// Generous, since an office or a mobile carrier's NAT is one address.
const maxConnsPerAddr = 256

// insecureBaseURL reports why staff sign-in cannot work: the session cookie
// is __Host-/Secure, which browsers refuse to keep over http:// except on
// localhost, so an http:// base URL on a LAN address silently fails login.
func insecureBaseURL(baseURL string, cookieSecure bool) bool {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme != "http" || !cookieSecure {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// addrLimitListener closes a new connection at once when its address
// already holds maxConns open ones.
type addrLimitListener struct {
	net.Listener
	maxConns int
	mu       sync.Mutex
	open     map[string]int
}

func limitPerAddr(ln net.Listener, n int) net.Listener {
	return &addrLimitListener{Listener: ln, maxConns: n, open: map[string]int{}}
}

// Accept returns the next connection within its address's limit.
func (l *addrLimitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host, _, _ := net.SplitHostPort(c.RemoteAddr().String())
		l.mu.Lock()
		if l.open[host] >= l.maxConns {
			l.mu.Unlock()
			c.Close()
			continue
		}
		l.open[host]++
		l.mu.Unlock()
		return &countedConn{Conn: c, release: func() { l.release(host) }}, nil
	}
}

func (l *addrLimitListener) release(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[host]--; l.open[host] <= 0 {
		delete(l.open, host)
	}
}

// countedConn gives its slot back once, on the first Close.
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
