package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// surveyPage is the questionnaire page's data.
type surveyPage struct {
	Title, UnitName, TypeLabel string
	Intro, Form, Actions       template.HTML // cached with the questionnaire's skeleton
	ProgressLabel              string
	Action                     string
	Started                    int64
	Answered, Total            int
	Notice                     string // message id
	ProblemCount               int
	General                    []string   // problems not beside a question
	Claim                      *formClaim // invitation pages: what the link is for
	OpenForm                   string     // open links: the signed form (open_form.go)
}

// formClaim is what an invitation page says its link is for. It is only a
// claim: the committer stores answers only when the token's unused
// invitation has this period, unit and type.
type formClaim struct{ Period, Unit, Type string }

// formView is what a questionnaire page shows.
type formView struct {
	inst     *survey.Instrument
	typ      string
	unitName string
	action   string
	openLink bool
	answers  map[string]string // raw values to show checked
	problems []survey.Problem
	notice   string
	started  int64      // unix seconds the respondent started (hidden field)
	claim    *formClaim // invitation pages only
	form     string     // open links: the signed form token
	full     bool       // render in full even when the cached page would do (tests)
}

// showForm renders the questionnaire. Pages with answers on them are never
// cached, and token pages send no referrer (the layout's header already says
// no-referrer for every page; this keeps it explicit here).
func (s *Server) showForm(c *gin.Context, status int, v formView) {
	tr := s.tr(c)
	sk, err := s.skeleton(v.inst, v.typ, v.openLink, tr)
	if err != nil {
		s.fail(c, err)
		return
	}
	if status == http.StatusOK && !v.full && s.cachedForm(c, sk, v) {
		return
	}
	byItem, general := problemMessages(tr, v.problems, sk.codes)
	form, formSize, answered, err := s.renderForm(sk, v.answers, byItem)
	if err != nil {
		s.fail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	s.renderSplice(c, status, "survey", form, formSize, &surveyPage{
		Title: sk.title, UnitName: v.unitName, TypeLabel: sk.typeLabel, Intro: sk.intro, Form: formMarker, Actions: sk.actions,
		ProgressLabel: sk.progressLabel, Action: v.action, Started: v.started,
		Answered: answered, Total: sk.total, Notice: v.notice, ProblemCount: len(v.problems), General: general, Claim: v.claim,
		OpenForm: v.form,
	})
}

// formMarker stands for the form in the rendered page: the page template
// runs once around it and the form's pieces are written in its place. It
// cannot come from respondent data, which html/template escapes.
const formMarker template.HTML = "<!--integritas:form-->"

// renderSplice is render for the questionnaire, the hottest page: the page
// is executed into a pooled buffer with formMarker standing for the form,
// and the response is that buffer with the form's cached pieces written in
// the marker's place. Joining 35 KB of form per request, or running one
// template action per fragment, was most of the page's cost and garbage.
func (s *Server) renderSplice(c *gin.Context, status int, name string, pieces []string, size int, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("render: unknown page", "page", name)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	buf := s.resp.buffers.Get().(*bytes.Buffer)
	defer s.resp.buffers.Put(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "layout", s.page(c, data)); err != nil {
		s.log.Error("render", "page", name, "err", err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	page := buf.Bytes()
	at := bytes.Index(page, []byte(formMarker))
	if at < 0 {
		s.log.Error("render: form marker missing", "page", name)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	// One write of the whole page: the pieces one by one would cost a
	// system call per 4 KB of net/http's buffer.
	out := s.resp.buffers.Get().(*bytes.Buffer)
	defer s.resp.buffers.Put(out)
	out.Reset()
	out.Grow(len(page) - len(formMarker) + size)
	out.Write(page[:at])
	for _, p := range pieces {
		out.WriteString(p)
	}
	out.Write(page[at+len(formMarker):])
	c.Header("Content-Length", strconv.Itoa(out.Len()))
	c.Data(status, "text/html; charset=utf-8", out.Bytes())
}

// problemMessages words each problem in the page's language: beside its
// question when the question is on the page, in the summary otherwise.
func problemMessages(tr translator, probs []survey.Problem, onPage map[string]bool) (map[string]string, []string) {
	byItem := map[string]string{}
	var general []string
	for _, p := range probs {
		msg := problemMessage(tr, p)
		if onPage[p.Item] {
			byItem[p.Item] = msg
		} else {
			general = append(general, msg)
		}
	}
	return byItem, general
}

func problemMessage(tr translator, p survey.Problem) string {
	return tr.T("respondent.problem."+p.Code, "Item", p.Item, "Value", p.Value)
}

// formInput is a questionnaire POST: the answers by item code and the
// page's own fields.
type formInput struct {
	action            string // "submit" or "save"
	answers           map[string]string
	started           int64
	form              string // open links: the signed form token
	lang              string
	period, unit, typ string // an invitation page's claim
}

// Form fields that are not answers; an item code starts with a letter, so
// these can never shadow one.
var formFields = map[string]bool{"_action": true, "_started": true, "_lang": true, "_period": true, "_unit": true, "_type": true, "_form": true}

// readForm parses the posted questionnaire (its body already bounded). It
// reads the urlencoded body itself: Request.ParseForm would also copy every
// answer into a second map merged with the query.
func readForm(c *gin.Context) (formInput, error) {
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return formInput{}, fmt.Errorf("form content type %q", mt)
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return formInput{}, err
	}
	f, err := url.ParseQuery(string(body))
	if err != nil {
		return formInput{}, err
	}
	in := formInput{action: f.Get("_action"), lang: f.Get("_lang"), form: f.Get("_form"), answers: make(map[string]string, len(f))}
	in.started, _ = strconv.ParseInt(f.Get("_started"), 10, 64)
	in.period, in.unit, in.typ = f.Get("_period"), f.Get("_unit"), f.Get("_type")
	for k, vs := range f {
		if formFields[k] || len(vs) == 0 {
			continue
		}
		in.answers[k] = vs[0]
	}
	if in.lang != "en" {
		in.lang = "id"
	}
	return in, nil
}

// duration is the seconds since the hidden start stamp, clamped to what the
// database keeps; -1 (unknown) when the stamp is missing or in the future.
func (s *Server) duration(started int64) int {
	if started <= 0 {
		return -1
	}
	d := s.now().Unix() - started
	switch {
	case d < 0:
		return -1
	case d > 604800:
		return 604800
	}
	return int(d)
}

// thanks is where a stored response lands (post, redirect, get): reloading
// it sends nothing again.
//
// Every respondent lands here, and the page is the same for all of one
// language: it is rendered once per language and served as bytes. A query
// or a signed-in user (whose page has a menu) takes the full render.
func (s *Server) thanks(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	data := map[string]string{"Title": "respondent.thanks.title", "Body": "respondent.thanks.body"}
	if c.Request.URL.RawQuery != "" || currentUser(c) != nil {
		s.render(c, http.StatusOK, "message", data)
		return
	}
	lang := s.tr(c).Lang()
	page, ok := s.resp.thanks.Load(lang)
	if !ok {
		b, err := s.renderBytes(c, "message", data)
		if err != nil {
			s.log.Error("render", "page", "message", "err", err)
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		page, _ = s.resp.thanks.LoadOrStore(lang, b)
	}
	c.Header("Content-Length", strconv.Itoa(len(page.([]byte))))
	c.Data(http.StatusOK, "text/html; charset=utf-8", page.([]byte))
}

// startStamp is the hidden start stamp for a page: now, minus the time a
// draft already holds.
func (s *Server) startStamp(elapsed int) int64 {
	return s.now().Add(-time.Duration(elapsed) * time.Second).Unix()
}

// keepStart carries the posted start stamp to a re-shown page, or starts
// the clock now when the stamp is missing or not plausible.
func (s *Server) keepStart(started int64) int64 {
	if s.duration(started) < 0 {
		return s.startStamp(0)
	}
	return started
}

// respondBody bounds a questionnaire or API submission: two free-text
// answers of MaxTextLen, percent-encoded, and every choice fit easily.
const respondBody = 64 << 10
