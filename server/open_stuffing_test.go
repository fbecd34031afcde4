package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"integritas/results"
	"integritas/survey"
)

// stuffer is a scripted client of one open link, from one address.
type stuffer struct {
	t    *testing.T
	base string
	addr string
	rng  *rand.Rand
	inst *survey.Instrument
}

// send makes one request from the stuffer's address (the test server
// trusts X-Forwarded-For from 127.0.0.1, as behind a real proxy).
func (s *stuffer) send(method, path, body string, header map[string]string) (*http.Response, string) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
	req.Header.Set("X-Forwarded-For", s.addr)
	if strings.HasPrefix(body, "{") {
		req.Header.Set("Content-Type", "application/json")
	} else if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// visit loads the form (sending cookie, when set) and returns its form and
// the cookie the browser holds afterwards.
func (s *stuffer) visit(path, cookie string) openVisit {
	s.t.Helper()
	h := map[string]string{}
	if cookie != "" {
		h["Cookie"] = cookie
	}
	resp, body := s.send("GET", path, "", h)
	v := openVisit{cookie: cookie}
	if m := formField.FindStringSubmatch(body); m != nil {
		v.form = m[1]
	}
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, deviceCookiePrefix) {
			v.cookie = c.Name + "=" + c.Value
		}
	}
	if resp.StatusCode != 200 || v.form == "" {
		s.t.Fatalf("GET %s: %d, form %q", path, resp.StatusCode, v.form)
	}
	return v
}

// answers draws random valid answers of an external respondent: random
// answers pass every answer-based flag, so only the gates can stop them.
func (s *stuffer) answers() url.Values {
	v := url.Values{}
	for _, it := range s.inst.Items {
		if !it.For(survey.External) {
			continue
		}
		switch it.Scale.Kind {
		case survey.KindOrdinal:
			v.Set(it.Code, strconv.Itoa(1+s.rng.IntN(it.Scale.Points)))
		case survey.KindExperience:
			v.Set(it.Code, []string{"yes", "no"}[s.rng.IntN(2)])
		}
	}
	if st := s.inst.Strata; st.For(survey.External) {
		v.Set(st.Code, st.Options[s.rng.IntN(len(st.Options))].Code)
	}
	return v
}

func (s *stuffer) post(path string, v url.Values, cookie string) int {
	h := map[string]string{}
	if cookie != "" {
		h["Cookie"] = cookie
	}
	resp, _ := s.send("POST", path, v.Encode(), h)
	return resp.StatusCode
}

// TestOpenLinkStuffing scripts the attacks of issue 11 against a real HTTP
// server: clients without cookies, with a fresh cookie every time, with one
// cookie, with forged start times and forged or replayed forms, through
// the page and the API, all with random answers, and a swarm from many
// addresses. At most the per-device and per-address caps are stored; every
// other attempt is refused and counted, and what is stored is flagged.
// The old code stored every one of them, unflagged.
func TestOpenLinkStuffing(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	const deviceCap, addrCap, tries = 2, 5, 25
	cfg := e.srv.cfg
	cfg.OpenDeviceCap, cfg.OpenAddressCap, cfg.TrustedProxies = deviceCap, addrCap, []string{"127.0.0.1"}
	srv, err := New(Options{Store: e.store, Config: cfg, Now: e.srv.now, Committer: e.srv.committer, OpenLinkLimit: RateLimit{PerMinute: -1}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)

	// Honest respondents of another unit who took 5 to 15 minutes.
	rng := rand.New(rand.NewPCG(11, 11))
	honest := make([]survey.NewResponse, 100)
	for i := range honest {
		s := &stuffer{rng: rng, inst: e.period.Instrument}
		a, probs := e.period.Instrument.ParseAnswers(survey.External, flat(s.answers()))
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		honest[i] = survey.NewResponse{PeriodID: e.period.ID, UnitID: unitIDOf(t, e, "DISDIK"), Type: survey.External, Channel: survey.ChannelOpen,
			Submitted: e.now, Duration: 300 + rng.IntN(600), Answers: a}
	}
	if err := e.store.InsertResponses(ctx, honest); err != nil {
		t.Fatal(err)
	}

	page, api := "/r/SPI-T/DINKES", "/api/v1/responses"
	type tally struct {
		name             string
		stored, refused  int
		byStatus         map[int]int
		storedPerAddress map[string]int
	}
	var runs []*tally
	run := func(name string, f func(tl *tally, s func(addr string) *stuffer)) {
		tl := &tally{name: name, byStatus: map[int]int{}, storedPerAddress: map[string]int{}}
		f(tl, func(addr string) *stuffer {
			return &stuffer{t: t, base: hs.URL, addr: addr, rng: rand.New(rand.NewPCG(uint64(len(runs)), 7)), inst: e.period.Instrument}
		})
		runs = append(runs, tl)
	}
	note := func(tl *tally, addr string, status int) {
		tl.byStatus[status]++
		if status == http.StatusSeeOther || status == http.StatusCreated {
			tl.stored++
			tl.storedPerAddress[addr]++
		} else {
			tl.refused++
		}
	}

	run("no cookies", func(tl *tally, mk func(string) *stuffer) {
		s := mk("198.51.100.1")
		for range tries {
			v := s.visit(page, "")
			a := s.answers()
			a.Set("_form", v.form)
			note(tl, s.addr, s.post(page, a, "")) // drops the cookie it was given
		}
	})
	run("fresh cookie every time", func(tl *tally, mk func(string) *stuffer) {
		s := mk("198.51.100.2")
		for range tries {
			v := s.visit(page, "")
			a := s.answers()
			a.Set("_form", v.form)
			note(tl, s.addr, s.post(page, a, v.cookie))
		}
	})
	run("one browser", func(tl *tally, mk func(string) *stuffer) {
		s := mk("198.51.100.3")
		cookie := ""
		for range tries {
			v := s.visit(page, cookie)
			cookie = v.cookie
			a := s.answers()
			a.Set("_form", v.form)
			note(tl, s.addr, s.post(page, a, cookie))
		}
	})
	run("forged start time, no form", func(tl *tally, mk func(string) *stuffer) {
		s := mk("198.51.100.4")
		v := s.visit(page, "")
		for range tries {
			a := s.answers()
			a.Set("_started", strconv.FormatInt(e.now.Unix()-900, 10)) // "took 15 minutes"
			note(tl, s.addr, s.post(page, a, v.cookie))
		}
	})
	run("forged form (issued-at moved back)", func(tl *tally, mk func(string) *stuffer) {
		s := mk("198.51.100.5")
		for range tries {
			v := s.visit(page, "")
			raw, _ := base64.RawURLEncoding.DecodeString(v.form)
			raw[20]-- // issued-at, 256 s earlier; the MAC no longer matches
			a := s.answers()
			a.Set("_form", base64.RawURLEncoding.EncodeToString(raw))
			note(tl, s.addr, s.post(page, a, v.cookie))
		}
	})
	run("replayed form", func(tl *tally, mk func(string) *stuffer) {
		s := mk("198.51.100.6")
		v := s.visit(page, "")
		for range tries {
			a := s.answers()
			a.Set("_form", v.form)
			note(tl, s.addr, s.post(page, a, v.cookie))
		}
	})
	run("API without a form", func(tl *tally, mk func(string) *stuffer) {
		s := mk("198.51.100.7")
		for range tries {
			body, _ := json.Marshal(map[string]any{"period": "SPI-T", "unit": "DINKES", "answers": flat(s.answers()), "duration_seconds": 600})
			resp, _ := s.send("POST", api, string(body), nil)
			note(tl, s.addr, resp.StatusCode)
		}
	})
	run("API, fresh form and cookie each time", func(tl *tally, mk func(string) *stuffer) {
		s := mk("198.51.100.8")
		for range tries {
			resp, body := s.send("GET", "/api/v1/forms/SPI-T/DINKES", "", nil)
			var f struct{ Form string }
			json.Unmarshal([]byte(body), &f)
			cookie := ""
			for _, c := range resp.Cookies() {
				cookie = c.Name + "=" + c.Value
			}
			b, _ := json.Marshal(map[string]any{"period": "SPI-T", "unit": "DINKES", "answers": flat(s.answers()), "form": f.Form, "duration_seconds": 600})
			r, _ := s.send("POST", api, string(b), map[string]string{"Cookie": cookie})
			note(tl, s.addr, r.StatusCode)
		}
	})
	run("swarm: one answer from each of 25 addresses", func(tl *tally, mk func(string) *stuffer) {
		for i := range tries {
			s := mk(fmt.Sprintf("203.0.113.%d", i+1))
			v := s.visit(page, "")
			a := s.answers()
			a.Set("_form", v.form)
			note(tl, s.addr, s.post(page, a, v.cookie))
		}
	})

	want := map[string]int{"no cookies": 0, "fresh cookie every time": addrCap, "one browser": deviceCap, "forged start time, no form": 0,
		"forged form (issued-at moved back)": 0, "replayed form": 1, "API without a form": 0, "API, fresh form and cookie each time": addrCap,
		"swarm: one answer from each of 25 addresses": tries}
	total := 0
	t.Logf("%-46s %7s %8s  statuses", "client", "stored", "refused")
	for _, tl := range runs {
		t.Logf("%-46s %7d %8d  %v", tl.name, tl.stored, tl.refused, tl.byStatus)
		total += tl.stored
		if tl.stored != want[tl.name] {
			t.Errorf("%s: %d stored, want %d", tl.name, tl.stored, want[tl.name])
		}
		for addr, n := range tl.storedPerAddress {
			if n > addrCap {
				t.Errorf("%s: %d stored from %s, over the address cap %d", tl.name, n, addr, addrCap)
			}
		}
		if tl.stored+tl.refused != tries {
			t.Errorf("%s: %d outcomes for %d tries", tl.name, tl.stored+tl.refused, tries)
		}
	}
	re := &respondEnv{testEnv: e}
	dinkes := unitIDOf(t, e, "DINKES")
	if n := re.count(`SELECT count(*) FROM responses WHERE channel = 'open' AND unit_id = ?`, dinkes); n != total {
		t.Errorf("%d open-link responses in the database, the clients saw %d stored", n, total)
	}
	if n := re.count(`SELECT COALESCE(max(n), 0) FROM (SELECT count(*) n FROM responses WHERE unit_id = ? GROUP BY device_hash) per_device`, dinkes); n > deviceCap {
		t.Errorf("one device hash on %d responses, over the device cap %d", n, deviceCap)
	}
	if n := re.count(`SELECT count(*) FROM responses WHERE unit_id = ? AND (device_hash IS NULL OR duration_seconds IS NULL)`, dinkes); n != 0 {
		t.Errorf("%d open-link responses without a device tag or a measured time", n)
	}

	// Analysts see what was capped, refused and flagged (page and API).
	analyst := e.loginAs("analyst")
	req, _ := http.NewRequest("GET", hs.URL+"/api/v1/periods/SPI-T/open-links", nil)
	req.Header.Set("Cookie", analyst["Cookie"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rep openLinkReport
	json.NewDecoder(resp.Body).Decode(&rep)
	resp.Body.Close()
	c := rep.City
	t.Logf("counted: stored %d (flagged %d), capped: device %d, address %d; refused: no cookie %d, bad form %d, expired %d, replayed %d",
		c.Stored, c.Flagged, c.CappedDevice, c.CappedAddress, c.NoCookie, c.BadForm, c.Expired, c.Replayed)
	wantCounts := openLinkCounts{Stored: total, Flagged: total, CappedDevice: tries - deviceCap, CappedAddress: 2 * (tries - addrCap),
		NoCookie: tries, BadForm: 3 * tries, Replayed: tries - 1}
	if c != wantCounts {
		t.Errorf("counts %+v, want %+v", c, wantCounts)
	}
	if r, err := srv.results.Get(ctx, "SPI-T", results.Options{}); err == nil {
		flags, _ := srv.quality.flags(r)
		codes := map[string]int{}
		for _, resp := range r.Input.Responses {
			for _, f := range flags[resp.ID] {
				if resp.Unit == "DINKES" {
					codes[f.Code]++
				}
			}
		}
		t.Logf("flags on the stored stuffing: %v", codes)
	}
	_, body := (&stuffer{t: t, base: hs.URL}).send("GET", "/dash/SPI-T/quality", "", analyst)
	for _, w := range []string{`id="open-link-counts"`, "Batas alamat", fmt.Sprintf(`<td class="num">%d</td>`, 2*(tries-addrCap))} {
		if !strings.Contains(body, w) {
			t.Errorf("data-quality page lacks %q", w)
		}
	}
	// The inspectorate sees the spike.
	_, body = (&stuffer{t: t, base: hs.URL}).send("GET", "/inspectorate/SPI-T", "", e.loginAs("inspector"))
	if !strings.Contains(body, `id="open-spikes"`) || !strings.Contains(body, "Dinas Kesehatan (DINKES)") {
		t.Errorf("the inspectorate's page shows no spike for DINKES: %.400s", body)
	}
}

// flat turns form values into the API's answers object.
func flat(v url.Values) map[string]string {
	out := map[string]string{}
	for k := range v {
		out[k] = v.Get(k)
	}
	return out
}

func unitIDOf(t *testing.T, e *testEnv, code string) int64 {
	t.Helper()
	units, err := e.store.Units(context.Background(), e.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.Code == code {
			return u.ID
		}
	}
	t.Fatalf("no unit %s", code)
	return 0
}
