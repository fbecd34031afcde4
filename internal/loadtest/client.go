package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"time"

	"integritas/survey"
)

// Kind is how a simulated respondent reaches the server.
type Kind int

// The four ways in: a browser on an invitation link or on a unit's open
// link (GET the questionnaire, POST the form), or an app posting JSON to
// POST /api/v1/responses with a token or a period and unit.
const (
	InviteForm Kind = iota
	OpenForm
	InviteAPI
	OpenAPI
)

func (k Kind) String() string {
	return [...]string{"invitation form", "open-link form", "invitation API", "open-link API"}[k]
}

// Invitation reports whether the kind answers through an invitation token.
func (k Kind) Invitation() bool { return k == InviteForm || k == InviteAPI }

// Job is one simulated respondent.
type Job struct {
	Kind   Kind
	Token  string // invitation kinds
	Period string // open-link kinds
	Unit   string
	Type   string // the respondent's type; open links are always external
	Marker string // free-text answer of MarkerItem, "" for none
	Seed   uint64 // draws the answers
	Addr   string // client address sent as X-Forwarded-For; "" sends none
}

// Outcome is what happened to a job.
type Outcome struct {
	Job    Job
	Status int   // the submission's status; 0 when it got no answer
	Err    error // a transport failure: the server may or may not have stored it
	Stored bool  // the server acknowledged storing the response
	Total  time.Duration
	Post   time.Duration // the submission alone
	Thanks time.Duration // the thanks page after the POST, when followed
	// ThanksErr says why the thanks page failed; the response is stored
	// all the same (Stored), but the respondent saw an error.
	ThanksErr string
	Detail    string // what went wrong, for the report
	Cookie    string // the cookie the questionnaire page set (name=value), if any
}

// Client sends jobs to one server.
type Client struct {
	Base       string // e.g. http://127.0.0.1:8080
	HTTP       *http.Client
	Instrument *survey.Instrument
	UserAgent  string
	// Thanks follows the form's redirect to the thanks page, as a browser
	// does; its time counts in the response's Total.
	Thanks bool
}

// NewClient returns a client with a connection pool for conns concurrent
// respondents. Its HTTP client never follows redirects by itself: form
// follows the thanks redirect when Thanks is set, so that it is timed and
// checked like the rest. Like a browser it accepts gzip (and unpacks it).
func NewClient(base string, in *survey.Instrument, conns int) *Client {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns,
		IdleConnTimeout: 30 * time.Second}
	return &Client{Base: strings.TrimRight(base, "/"), Instrument: in,
		UserAgent: "Mozilla/5.0 (Linux; Android 14) integritas-loadtest",
		HTTP: &http.Client{Transport: tr, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Close drops the idle connections.
func (c *Client) Close() { c.HTTP.CloseIdleConnections() }

// Do runs one job to its end.
func (c *Client) Do(ctx context.Context, j Job) Outcome {
	switch j.Kind {
	case InviteForm:
		return c.form(ctx, j, "/s/"+j.Token)
	case OpenForm:
		return c.form(ctx, j, "/r/"+j.Period+"/"+j.Unit)
	default:
		return c.api(ctx, j)
	}
}

// answers draws the job's answers for a respondent of type typ: the job's
// type for an invitation ("internal" when unset), "external" on open links.
func (c *Client) answers(j Job, typ string) map[string]string {
	switch {
	case !j.Kind.Invitation():
		typ = survey.External
	case typ == "":
		typ = survey.Internal
	}
	return answers(c.Instrument, typ, rand.New(rand.NewPCG(j.Seed, 0x5eed)), j.Marker)
}

// hiddenField matches the questionnaire's hidden inputs (_lang, an
// invitation page's _started and claim: _period, _unit, _type; an open
// link's signed _form).
var hiddenField = regexp.MustCompile(`<input type="hidden" name="(_[a-z]+)" value="([^"]*)">`)

// form is a browser: GET the questionnaire (keeping the device cookie the
// open link sets), then POST every answer with the page's hidden fields.
func (c *Client) form(ctx context.Context, j Job, path string) Outcome {
	out := Outcome{Job: j}
	t0 := time.Now()
	resp, body, err := c.send(ctx, j, http.MethodGet, path, "", nil, "")
	if err != nil {
		out.Err, out.Detail = err, "GET: "+err.Error()
		return out
	}
	if resp.StatusCode != http.StatusOK {
		out.Status, out.Detail = resp.StatusCode, fmt.Sprintf("GET %d: %.120s", resp.StatusCode, body)
		return out
	}
	head := body
	if i := bytes.Index(head, []byte(`class="progress"`)); i > 0 {
		head = head[:i]
	}
	hidden := map[string]string{}
	for _, m := range hiddenField.FindAllSubmatch(head, -1) {
		hidden[string(m[1])] = html.UnescapeString(string(m[2]))
	}
	if hidden["_lang"] == "" {
		out.Status, out.Detail = resp.StatusCode, "GET: the page has no questionnaire form"
		return out
	}
	typ := j.Type
	if hidden["_type"] != "" { // an invitation page says whom it asks
		typ = hidden["_type"]
	}
	ans := c.answers(j, typ)
	for _, ck := range resp.Cookies() {
		out.Cookie = ck.Name + "=" + ck.Value
	}
	t1 := time.Now()
	resp, body, err = c.send(ctx, j, http.MethodPost, path, formBody(ans, hidden), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Origin": c.Base}, out.Cookie)
	out.Total, out.Post = time.Since(t0), time.Since(t1)
	if err != nil {
		out.Err, out.Detail = err, "POST: "+err.Error()
		return out
	}
	out.Status = resp.StatusCode
	out.Stored = resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/thanks"
	if !out.Stored {
		out.Detail = fmt.Sprintf("POST %d: %.120s", resp.StatusCode, body)
		return out
	}
	if c.Thanks {
		c.thanks(ctx, j, &out, resp.Header.Get("Location"))
		out.Total = time.Since(t0)
	}
	return out
}

// thanks loads the page the form redirected to, with the cookie, as the
// browser does before the respondent sees that the answers arrived.
func (c *Client) thanks(ctx context.Context, j Job, out *Outcome, loc string) {
	t := time.Now()
	resp, body, err := c.send(ctx, j, http.MethodGet, loc, "", nil, out.Cookie)
	out.Thanks = time.Since(t)
	switch {
	case err != nil:
		out.ThanksErr = "GET thanks: " + err.Error()
	case resp.StatusCode != http.StatusOK:
		out.ThanksErr = fmt.Sprintf("GET thanks %d: %.120s", resp.StatusCode, body)
	}
}

// apiBody is the JSON body of POST /api/v1/responses.
type apiBody struct {
	Token    string            `json:"token,omitempty"`
	Period   string            `json:"period,omitempty"`
	Unit     string            `json:"unit,omitempty"`
	Type     string            `json:"type,omitempty"`
	Answers  map[string]string `json:"answers"`
	Duration int               `json:"duration_seconds"`
	Form     string            `json:"form,omitempty"` // open links: from GET /api/v1/forms/:period/:unit
}

// api is an app posting one response as JSON.
func (c *Client) api(ctx context.Context, j Job) Outcome {
	out := Outcome{Job: j}
	b := apiBody{Answers: c.answers(j, j.Type), Duration: 240 + int(j.Seed%600)}
	t0 := time.Now()
	cookie := ""
	if j.Kind == InviteAPI {
		b.Token = j.Token
	} else {
		// An app first takes a signed form (and the device cookie).
		resp, fb, err := c.send(ctx, j, http.MethodGet, "/api/v1/forms/"+j.Period+"/"+j.Unit, "", nil, "")
		if err != nil {
			out.Err, out.Detail = err, "GET form: "+err.Error()
			return out
		}
		var f struct{ Form string }
		if resp.StatusCode != http.StatusOK || json.Unmarshal(fb, &f) != nil {
			out.Status, out.Detail = resp.StatusCode, fmt.Sprintf("GET form %d: %.120s", resp.StatusCode, fb)
			return out
		}
		for _, ck := range resp.Cookies() {
			cookie = ck.Name + "=" + ck.Value
		}
		out.Cookie = cookie
		b.Period, b.Unit, b.Type, b.Form = j.Period, j.Unit, survey.External, f.Form
	}
	body, _ := json.Marshal(b)
	t1 := time.Now()
	resp, rb, err := c.send(ctx, j, http.MethodPost, "/api/v1/responses", string(body), map[string]string{"Content-Type": "application/json"}, cookie)
	out.Total, out.Post = time.Since(t0), time.Since(t1)
	if err != nil {
		out.Err, out.Detail = err, "POST: "+err.Error()
		return out
	}
	out.Status = resp.StatusCode
	out.Stored = resp.StatusCode == http.StatusCreated
	if !out.Stored {
		out.Detail = fmt.Sprintf("API %d: %.160s", resp.StatusCode, rb)
	}
	return out
}

// phoneLanguages is the Accept-Language header of a phone set to
// Indonesian: every browser sends one, and the server reads it.
const phoneLanguages = "id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7"

// send makes one request with what a same-origin browser request carries
// and reads the whole answer.
func (c *Client) send(ctx context.Context, j Job, method, path, body string, header map[string]string, cookie string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("User-Agent", c.UserAgent)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept-Language", phoneLanguages)
	if j.Addr != "" {
		req.Header.Set("X-Forwarded-For", j.Addr)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, errors.Join(errors.New("reading the answer"), err)
	}
	return resp, b, nil
}
