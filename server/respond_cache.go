package server

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// A fresh questionnaire — no answers, no problems, no notice, nobody
// signed in — is the same page for every respondent of one instrument,
// type and language but for a few fields: the link's path, the start
// stamp, the signed open-link form, the invitation's claim and the unit's
// name. It is rendered once, by the same templates, with a sentinel in
// each of those places, and served as the static text between them with
// the request's values written in. A value goes in only when escaping
// would leave it unchanged in every place it appears (a code, a base64url
// token, digits), except the unit's name, which is escaped as the
// template escapes it; anything else takes the full render.

// pageSlot names a per-request value in a cached page.
type pageSlot int

const (
	slotPath pageSlot = iota // the request's path without its leading slash (form action, language links)
	slotStarted
	slotForm
	slotPeriod
	slotUnit
	slotUnitName
	slotCount
)

// slotSentinels stand for the slots in the page rendered once: letters and
// digits only, so no escaper changes them, and nothing a locale file or
// an instrument would say.
var slotSentinels = [slotCount]string{"zQ7pathQz", strconv.Itoa(sentinelStarted), "zQ7formQz", "zQ7periodQz", "zQ7unitQz", "zQ7unitnameQz"}

// sentinelStarted is slotStarted's sentinel as the number the template prints.
const sentinelStarted = 917853106429

// cachedPage is a page as static text with slots between: parts[i], then
// slots[i], ..., then the last part.
type cachedPage struct {
	parts  []string
	slots  []pageSlot
	size   int
	zparts [][]byte // the parts compressed, for browsers that accept gzip (respond_gzip.go)
}

// pageCache holds a skeleton's cached fresh page, built on first use.
type pageCache struct {
	once sync.Once
	page *cachedPage // nil when it could not be built: always render in full
}

// splitSlots cuts a rendered page at the sentinels.
func splitSlots(page string) *cachedPage {
	cp := &cachedPage{}
	for {
		at, slot := -1, pageSlot(0)
		for i, s := range slotSentinels {
			if j := strings.Index(page, s); j >= 0 && (at < 0 || j < at) {
				at, slot = j, pageSlot(i)
			}
		}
		if at < 0 {
			cp.parts = append(cp.parts, page)
			cp.size += len(page)
			return cp
		}
		cp.parts = append(cp.parts, page[:at])
		cp.slots = append(cp.slots, slot)
		cp.size += at
		page = page[at+len(slotSentinels[slot]):]
	}
}

// safeValue reports whether v reads the same escaped for HTML text, an
// attribute and a URL: letters, digits and - _ . ~ (and / in a path).
func safeValue(v string, path bool) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch ch := v[i]; {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9', ch == '-', ch == '_', ch == '.', ch == '~':
		case ch == '/' && path:
		default:
			return false
		}
	}
	return true
}

// textEscaper escapes a value as html/template does in HTML text, where
// the survey page shows the unit's name.
var textEscaper = template.Must(template.New("text").Parse(`{{.}}`))

// escapedName is a unit's name escaped by textEscaper, remembered: units
// are few and html/template's Execute costs more than the rest of the page.
func (s *Server) escapedName(name string) (string, bool) {
	if v, ok := s.resp.names.Load(name); ok {
		return v.(string), true
	}
	var b strings.Builder
	if textEscaper.Execute(&b, name) != nil {
		return "", false
	}
	if s.resp.nameCount.Add(1) > 100000 { // bound what a renamed roster can leave behind
		s.resp.names.Clear()
		s.resp.nameCount.Store(0)
	}
	s.resp.names.Store(name, b.String())
	return b.String(), true
}

// cachedForm serves a fresh questionnaire from the skeleton's cached page,
// reporting false (having written nothing) when the request needs the
// full render.
func (s *Server) cachedForm(c *gin.Context, sk *formSkeleton, v formView) bool {
	path := c.Request.URL.Path
	if len(v.answers) > 0 || len(v.problems) > 0 || v.notice != "" || c.Request.URL.RawQuery != "" ||
		currentUser(c) != nil || v.action != path || len(path) < 2 || path[0] != '/' || !safeValue(path[1:], true) || path[1] == '/' {
		return false
	}
	var vals [slotCount]string
	vals[slotPath] = path[1:]
	vals[slotStarted] = strconv.FormatInt(v.started, 10)
	// An open link's fill time comes from its signed form, not a stamp.
	if v.openLink {
		if v.claim != nil || v.started != 0 || !safeValue(v.form, false) {
			return false
		}
		vals[slotForm] = v.form
	} else {
		if v.claim == nil || v.claim.Type != v.typ || v.started <= 0 || !safeValue(v.claim.Period, false) || !safeValue(v.claim.Unit, false) {
			return false
		}
		vals[slotPeriod], vals[slotUnit] = v.claim.Period, v.claim.Unit
	}
	name, ok := s.escapedName(v.unitName)
	if !ok {
		return false
	}
	vals[slotUnitName] = name
	cp := s.freshPage(c, sk, v)
	if cp == nil {
		return false
	}
	out := s.resp.buffers.Get().(*bytes.Buffer)
	defer s.resp.buffers.Put(out)
	out.Reset()
	cp.writePlain(out, &vals)
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Vary", "Accept-Encoding")
	body := out.Bytes()
	if cp.zparts != nil && acceptsGzip(c.GetHeader("Accept-Encoding")) {
		z := s.resp.buffers.Get().(*bytes.Buffer)
		defer s.resp.buffers.Put(z)
		z.Reset()
		cp.writeGzip(z, &vals, body)
		h.Set("Content-Encoding", "gzip")
		body = z.Bytes()
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Data(http.StatusOK, "text/html; charset=utf-8", body)
	return true
}

// writePlain writes cp with vals in its slots to out.
func (cp *cachedPage) writePlain(out *bytes.Buffer, vals *[slotCount]string) {
	n := cp.size
	for _, sl := range cp.slots {
		n += len(vals[sl])
	}
	out.Grow(n)
	for i, p := range cp.parts {
		out.WriteString(p)
		if i < len(cp.slots) {
			out.WriteString(vals[cp.slots[i]])
		}
	}
}

// freshPage returns the skeleton's cached page, rendering it with the
// sentinels on first use.
func (s *Server) freshPage(c *gin.Context, sk *formSkeleton, v formView) *cachedPage {
	sk.fresh.once.Do(func() {
		form, _, _, err := s.renderForm(sk, nil, nil)
		if err != nil {
			s.log.Error("questionnaire cache", "err", err)
			return
		}
		data := &surveyPage{Title: sk.title, UnitName: slotSentinels[slotUnitName], TypeLabel: sk.typeLabel, Intro: sk.intro,
			Form: template.HTML(strings.Join(form, "")), Actions: sk.actions, ProgressLabel: sk.progressLabel,
			Action: "/" + slotSentinels[slotPath], Total: sk.total}
		if v.openLink {
			data.OpenForm = slotSentinels[slotForm]
		} else {
			data.Started = sentinelStarted
			data.Claim = &formClaim{Period: slotSentinels[slotPeriod], Unit: slotSentinels[slotUnit], Type: v.typ}
		}
		var buf bytes.Buffer
		p := &Page{translator: s.tr(c), Path: "/" + slotSentinels[slotPath], Data: data}
		if err := s.pages["survey"].ExecuteTemplate(&buf, "layout", p); err != nil {
			s.log.Error("questionnaire cache", "err", err)
			return
		}
		cp := splitSlots(buf.String())
		if err := deflatePage(cp); err != nil { // served uncompressed, as before
			s.log.Error("questionnaire cache: compress", "err", err)
			cp.zparts = nil
		}
		sk.fresh.page = cp
	})
	return sk.fresh.page
}
