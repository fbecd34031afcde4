package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAPIResponses sends any body to POST /api/v1/responses through the
// real handler and store: never a 5xx; a 201 stores exactly one response;
// any refusal is a 4xx JSON error with a code and a message, and stores
// nothing.
func FuzzAPIResponses(f *testing.F) {
	e := newFuzzEnv(f)
	answers := `{"T01": "4", "SOS01": "3", "SOS02": "5", "IT04": "yes", "X01": "Antrean lebih tertib"}`
	f.Add([]byte(`{"period": "SPI-F", "unit": "DISDIK", "type": "external", "answers": ` + answers + `, "duration_seconds": 300, "lang": "en"}`))
	f.Add([]byte(`{"token": "` + e.tokens[0] + `", "answers": ` + answers + `}`))
	f.Add([]byte(`{"token": "` + e.tokens[1] + `", "answers": {"T01": "4", "SOS01": "3", "SOS02": "5", "PBJ01": "dk"}}`))
	f.Add([]byte(`{"period": "SPI-F", "unit": "DINKES", "answers": {"T01": 4, "T02": null, "T03": ["1"], "SOS01": {"a": 1}}}`))
	f.Add([]byte(`{"token": "` + e.tokens[2] + `", "period": "SPI-F", "answers": {}}`))
	f.Add([]byte(`{"period": "SPI-F", "unit": "DINKES", "answers": {"X01": "\ud800", "T01": "4\u0000", "SOS01": "3", "SOS02": "5"}, "duration_seconds": 1e400}`))
	f.Add([]byte(`{"answers": ` + strings.Repeat(`{"a":`, 200) + strings.Repeat("}", 200) + `}`))
	f.Add([]byte(`{"period": "SPI-F", "unit": "DINKES", "answers": {"T01": "4", "SOS01": "3", "SOS02": "5"}} {"token": "x"}`))
	f.Add([]byte("\xff\xfe{\"period\": \"SPI-F\"}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		before := e.counts(t)
		rec := e.serve(http.MethodPost, "/api/v1/responses", "application/json", body)
		after := e.counts(t)
		checkJSONAnswer(t, rec.Code, rec.Body.Bytes())
		if rec.Code == http.StatusCreated {
			if after.responses != before.responses+1 {
				t.Fatalf("201 but %d responses added", after.responses-before.responses)
			}
			return
		}
		if after != before {
			t.Fatalf("refused with %d but the database changed: %+v -> %+v", rec.Code, before, after)
		}
	})
}

// FuzzOpenForm posts any form body to an open link's questionnaire
// through the real handler, after a genuine signed form and a device
// cookie (so that inputs reach the writer; the body may add its own
// fields, a second _form among them): never a 5xx; a stored response
// redirects to the thanks page; a refusal stores nothing and says why on a
// page.
func FuzzOpenForm(f *testing.F) {
	e := newFuzzEnv(f)
	f.Add("T01=4&SOS01=3&SOS02=5&X01=%3Cscript%3Ealert(1)%3C%2Fscript%3E&_started=1781515000")
	f.Add("T01=9&SOS01=dk&SOS02=&PBJ01=1&golongan=III&_lang=en")
	f.Add("T01=4&T01=5&SOS01=3&SOS02=5&X01=%FF%FE&_action=save")
	f.Add("%zz=1&T01")
	f.Add("T01=4&SOS01=3&SOS02=5&_started=-99999999999999999999&_period=SPI-F&_unit=DINKES&_type=internal")
	f.Fuzz(func(t *testing.T, body string) {
		before := e.counts(t)
		form, cookie := e.openForm()
		rec := e.serve(http.MethodPost, "/r/SPI-F/DINKES", "application/x-www-form-urlencoded", []byte("_form="+form+"&"+body), cookie)
		after := e.counts(t)
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d for %q", rec.Code, body)
		case rec.Code == http.StatusSeeOther:
			if rec.Header().Get("Location") != "/thanks" || after.responses != before.responses+1 {
				t.Fatalf("303 to %q with %d responses added", rec.Header().Get("Location"), after.responses-before.responses)
			}
		case after != before:
			t.Fatalf("refused with %d but the database changed", rec.Code)
		case rec.Code < 400:
			t.Fatalf("status %d: neither stored nor refused", rec.Code)
		case !strings.Contains(rec.Body.String(), "<h1") && !strings.Contains(rec.Body.String(), `role="alert"`):
			t.Fatalf("refusal %d without a message: %.300s", rec.Code, rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), "<script>") {
			t.Fatalf("unescaped script in the page")
		}
	})
}

// checkJSONAnswer asserts the API's contract for any answer: no 5xx, JSON,
// and a refusal that names its error with a message a person can read.
func checkJSONAnswer(t *testing.T, code int, body []byte) {
	t.Helper()
	if code >= 500 {
		t.Fatalf("status %d: %s", code, body)
	}
	var v struct {
		Status string `json:"status"`
		Error  *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
		Problems []apiProblem `json:"problems"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("status %d with a body that is not JSON: %v: %.200s", code, err, body)
	}
	if code < 400 {
		return
	}
	if v.Error == nil || v.Error.Code == "" || v.Error.Message == "" || strings.HasPrefix(v.Error.Message, "error.") {
		t.Fatalf("status %d without a readable error: %s", code, body)
	}
	for _, p := range v.Problems {
		if p.Code == "" || p.Message == "" || !utf8.ValidString(p.Message) || strings.Contains(p.Message, "respondent.problem") {
			t.Fatalf("problem without a message: %+v", p)
		}
	}
}
