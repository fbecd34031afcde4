package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"integritas/survey"
)

func TestAPIResponses(t *testing.T) {
	e := newRespondEnv(t)
	toks := e.invite("DINKES", survey.Internal, 3)
	unknown, _ := survey.NewToken()
	tok := func(i int, rest string) string {
		return fmt.Sprintf(`{"token": %q, "answers": %s, "duration_seconds": 312, "lang": "id"%s}`, toks[i], answersJSON, rest)
	}
	open := func(period, unit, rest string) string {
		return fmt.Sprintf(`{"period": %q, "unit": %q, "type": "external", "answers": %s%s}`, period, unit, answersJSON, rest)
	}
	api := "/api/v1/responses"
	v1, v2 := e.visitOpen("/api/v1/forms/SPI-T/DINKES"), e.visitOpen("/api/v1/forms/SPI-T/PKM1")
	e.run([]scenario{
		{name: "invitation", method: "POST", path: api, body: tok(0, ""), wantStatus: 201, want: []string{`"status":"stored"`, `"answered":5`}, notWant: []string{toks[0]}},
		{name: "invitation again", method: "POST", path: api, body: tok(0, ""), wantStatus: 409, want: []string{`"code":"link_used"`, `"problems":[]`}},
		{name: "unknown token", method: "POST", path: api, body: strings.Replace(tok(1, ""), toks[1], unknown, 1), wantStatus: 404, want: []string{`"code":"link_unknown"`}},
		{name: "closed period token", method: "POST", path: api, body: strings.Replace(tok(1, ""), toks[1], e.closedToken, 1), wantStatus: 409, want: []string{`"code":"survey_closed"`}},
		{name: "open link", method: "POST", path: api, body: v1.json(open("SPI-T", "DINKES", `, "duration_seconds": 900`)), header: v1.header(nil), wantStatus: 201},
		{name: "open link, form used", method: "POST", path: api, body: v1.json(open("SPI-T", "DINKES", "")), header: v1.header(nil), wantStatus: 409, want: []string{`"code":"open_replayed"`}},
		{name: "open link without form", method: "POST", path: api, body: open("SPI-T", "DINKES", ""), header: v1.header(nil), wantStatus: 400, want: []string{`"code":"open_form"`}},
		{name: "open link, another unit's form", method: "POST", path: api, body: v2.json(open("SPI-T", "DINKES", "")), header: v2.header(nil), wantStatus: 400, want: []string{`"code":"open_form"`}},
		{name: "open link without cookie", method: "POST", path: api, body: v2.json(`{"period": "SPI-T", "unit": "PKM1", "answers": ` + answersJSON + `}`), wantStatus: 403, want: []string{`"code":"open_cookie"`}},
		{name: "open link without type", method: "POST", path: api, body: v2.json(`{"period": "SPI-T", "unit": "PKM1", "answers": ` + answersJSON + `}`), header: v2.header(nil), wantStatus: 201},
		{name: "token and form", method: "POST", path: api, body: tok(1, `, "form": "x"`), wantStatus: 400, want: []string{`"code":"token_or_link"`}},
		{name: "open link for staff", method: "POST", path: api, body: strings.Replace(open("SPI-T", "DINKES", ""), "external", "internal", 1), wantStatus: 400,
			want: []string{`"item":"type","code":"type_not_open"`}},
		{name: "other period's unit", method: "POST", path: api, body: open("SPI-T", "KOTA", ""), wantStatus: 404, want: []string{`"code":"not_found"`}},
		{name: "unknown period", method: "POST", path: api, body: open("NOPE", "DINKES", ""), wantStatus: 404},
		{name: "closed period", method: "POST", path: api, body: open("SPI-C", "DINKES", ""), wantStatus: 409, want: []string{`"code":"survey_closed"`}},
		{name: "token and link", method: "POST", path: api, body: tok(1, `, "period": "SPI-T"`), wantStatus: 400, want: []string{`"code":"token_or_link"`}},
		{name: "neither token nor link", method: "POST", path: api, body: `{"answers": {}}`, wantStatus: 400, want: []string{`"code":"token_or_link"`}},

		{name: "unknown field", method: "POST", path: api, body: tok(1, `, "name": "Budi"`), wantStatus: 400,
			want: []string{`"error":{"code":"invalid_json"`, `"item":"name","code":"unknown_field"`}},
		{name: "answer as number", method: "POST", path: api, body: `{"token": "` + toks[1] + `", "answers": {"T01": 4, "T02": null, "T03": "4"}}`, wantStatus: 400,
			want: []string{`"item":"T01","code":"wrong_type"`, `"item":"T02","code":"wrong_type"`}, notWant: []string{`"item":"T03"`}},
		{name: "duration as string", method: "POST", path: api, body: `{"token": "` + toks[1] + `", "answers": {}, "duration_seconds": "312"}`, wantStatus: 400, want: []string{`"item":"duration_seconds","code":"wrong_type"`}},
		{name: "answers as list", method: "POST", path: api, body: `{"token": "` + toks[1] + `", "answers": ["4"]}`, wantStatus: 400, want: []string{`"code":"wrong_type"`}},
		{name: "trailing data", method: "POST", path: api, body: tok(1, "") + ` {"token": "x"}`, wantStatus: 400, want: []string{`"code":"trailing_data"`}},
		{name: "trailing garbage", method: "POST", path: api, body: tok(1, "") + `xyz`, wantStatus: 400, want: []string{`"code":"trailing_data"`}},
		{name: "syntax", method: "POST", path: api, body: `{"token": `, wantStatus: 400, want: []string{`"code":"syntax"`}},
		{name: "empty body", method: "POST", path: api, body: ``, wantStatus: 400, want: []string{`"code":"empty_body"`}},
		{name: "oversized", method: "POST", path: api, body: `{"token": "` + strings.Repeat("a", 70<<10) + `"}`, wantStatus: 413, want: []string{`"code":"too_large"`}},
		{name: "bad lang", method: "POST", path: api, body: strings.Replace(tok(1, ""), `"lang": "id"`, `"lang": "fr"`, 1), wantStatus: 400, want: []string{`"code":"invalid_lang"`}},
		{name: "negative duration", method: "POST", path: api, body: strings.Replace(tok(1, ""), "312", "-5", 1), wantStatus: 400, want: []string{`"code":"invalid_duration"`}},

		{name: "invalid answers", method: "POST", path: api, body: `{"token": "` + toks[1] + `", "answers": {"T01": "9", "T02": "dk", "NOPE": "1", "PP04": "2", "IT04": "maybe"}}`, wantStatus: 422,
			want: []string{`"error":{"code":"invalid_answers"`, `{"item":"T01","code":"invalid_value","message":"Jawaban \"9\" tidak tersedia`,
				`"item":"IT04","code":"invalid_value"`, `"item":"PP04","code":"not_for_type"`, `"item":"NOPE","code":"unknown_item"`, `"item":"SOS01","code":"required"`}},
		{name: "invalid answers in English", method: "POST", path: api, body: `{"token": "` + toks[1] + `", "lang": "en", "answers": {"T01": "dk"}}`, wantStatus: 422,
			want: []string{`This question has no \"Don't know\" answer.`}},
		{name: "English from the header", method: "POST", path: api, body: `{"token": "` + toks[1] + `", "answers": {}}`, header: map[string]string{"Accept-Language": "en-GB,en"}, wantStatus: 422,
			want: []string{"This question must be answered."}},
		{name: "refusals used nothing up", method: "POST", path: api, body: tok(1, ""), wantStatus: 201},
		{name: "cross-site browser post refused", method: "POST", path: api, body: tok(2, ""), header: map[string]string{"Sec-Fetch-Site": "cross-site"}, wantStatus: 403},
		{name: "get is not allowed", path: api, wantStatus: 405},
	})
	cases := []struct {
		q    string
		want int
	}{
		{"SELECT count(*) FROM responses", 4},
		{"SELECT count(*) FROM responses WHERE channel = 'invitation' AND duration_seconds = 312 AND lang = 'id'", 2},
		// the server measured the fill time (the app's 900 s is ignored) and tagged the device
		{"SELECT count(*) FROM responses WHERE channel = 'open' AND duration_seconds = 1 AND length(device_hash) = 32", 2},
		{"SELECT count(*) FROM open_nonces", 2},
		{"SELECT count(*) FROM open_link_counts WHERE outcome = 'stored'", 2},
		{"SELECT count(*) FROM text_answers WHERE body = 'Antrean lebih tertib'", 4},
		{"SELECT count(*) FROM invitations WHERE used = 1", 2},
	}
	for _, c := range cases {
		if got := e.count(c.q); got != c.want {
			t.Errorf("%s = %d, want %d", c.q, got, c.want)
		}
	}
}

// TestExactlyOnce sends one token 50 times at once, through the JSON API and
// through the form: exactly one is stored, the others are told it was used.
func TestExactlyOnce(t *testing.T) {
	e := newRespondEnv(t)
	const n = 50
	flows := []struct {
		name           string
		send           func(token string) int
		stored, usedUp int
	}{
		{"api", func(tok string) int {
			body := fmt.Sprintf(`{"token": %q, "answers": %s}`, tok, answersJSON)
			req, _ := http.NewRequest("POST", e.http.URL+"/api/v1/responses", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := e.http.Client().Do(req)
			if err != nil {
				t.Error(err)
				return 0
			}
			resp.Body.Close()
			return resp.StatusCode
		}, http.StatusCreated, http.StatusConflict},
		{"form", func(tok string) int {
			req, _ := http.NewRequest("POST", e.http.URL+"/s/"+tok, strings.NewReader(valid()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Error(err)
				return 0
			}
			resp.Body.Close()
			return resp.StatusCode
		}, http.StatusSeeOther, http.StatusGone},
		{"form with the page's claim", func(tok string) int {
			body := valid("_period", "SPI-T", "_unit", "DINKES", "_type", "internal")
			req, _ := http.NewRequest("POST", e.http.URL+"/s/"+tok, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Error(err)
				return 0
			}
			resp.Body.Close()
			return resp.StatusCode
		}, http.StatusSeeOther, http.StatusGone},
	}
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			tok := e.invite("DINKES", survey.Internal, 1)[0]
			before := e.count("SELECT count(*) FROM responses")
			codes := make([]int, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() { <-start; codes[i] = f.send(tok) })
			}
			close(start)
			wg.Wait()
			got := map[int]int{}
			for _, c := range codes {
				got[c]++
			}
			if got[f.stored] != 1 || got[f.usedUp] != n-1 {
				t.Errorf("statuses %v; want one %d and %d × %d", got, f.stored, n-1, f.usedUp)
			}
			if rows := e.count("SELECT count(*) FROM responses") - before; rows != 1 {
				t.Errorf("%d response rows for one token", rows)
			}
		})
	}
}

func TestAPIProblemShape(t *testing.T) {
	e := newRespondEnv(t)
	tok := e.invite("DISDIK", survey.Expert, 1)[0]
	_, body, h := e.do("POST", "/api/v1/responses", `{"token": "`+tok+`", "answers": {"T01": "x"}}`, nil)
	if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Errorf("content type %q", h.Get("Content-Type"))
	}
	var got struct {
		Error    struct{ Code, Message string }
		Problems []struct{ Item, Code, Message string }
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if got.Error.Code != "invalid_answers" || got.Error.Message == "" || len(got.Problems) != 3 {
		t.Fatalf("%+v", got)
	}
	for _, p := range got.Problems {
		if p.Item == "" || p.Code == "" || p.Message == "" || strings.HasPrefix(p.Message, "respondent.") {
			t.Errorf("problem %+v lacks a field or a worded message", p)
		}
	}
}
