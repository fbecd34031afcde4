package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"integritas/assets"
	"integritas/survey"
)

// BenchmarkRespond measures complete responses per second over a real HTTP
// server on 127.0.0.1 and a real SQLite file (synchronous=FULL): 64
// concurrent clients, each response one GET of the questionnaire and one
// POST of every answer for its respondent type — half through invitation
// links (internal respondents, 46 questions + strata), half through the
// open link (external, 24 questions) with a device cookie. The server
// runs in a child process (respond_bench_child_test.go) on the same 2
// cores as the load generator. Reported: responses/s; p50 and p99 of a
// complete response (GET + POST) and of the POST alone; responses per
// commit (group commit at work); the server's CPU per response and peak
// memory, and the load generator's CPU per response.
//
//	go test ./server -run '^$' -bench Respond -benchtime 20000x -count 5
//	BENCH_DIR=/dev/shm go test ...   (the same without the disk's fsync)
func BenchmarkRespond(b *testing.B) { benchRespond(b, benchLoad{}) }

// BenchmarkRespondBrowser is BenchmarkRespond as a browser does it: after
// the POST it follows the redirect to the thanks page.
func BenchmarkRespondBrowser(b *testing.B) { benchRespond(b, benchLoad{follow: true}) }

// BenchmarkRespondPaced300 starts browser-like responses at 300 per second
// rather than as fast as possible: the fixed costs per commit and per
// wake-up, which full load spreads over large batches, show here.
//
//	go test ./server -run '^$' -bench RespondPaced300 -benchtime 3000x
func BenchmarkRespondPaced300(b *testing.B) { benchRespond(b, benchLoad{follow: true, rate: 300}) }

// benchLoad shapes the load: follow the redirect to the thanks page, and
// start responses at rate per second (0: as fast as the clients go).
type benchLoad struct {
	follow bool
	rate   int
}

func benchRespond(b *testing.B, load benchLoad) {
	const clients = 64
	ctx := context.Background()
	dir := b.TempDir()
	if d := os.Getenv("BENCH_DIR"); d != "" { // e.g. /dev/shm, to tell the disk's share
		var err error
		if dir, err = os.MkdirTemp(d, "bench"); err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	st, err := survey.Open(ctx, filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	p, err := st.CreatePeriod(ctx, survey.NewPeriod{Code: "B", Instrument: assets.DefaultInstrument()})
	if err != nil {
		b.Fatal(err)
	}
	csv := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
		"DINKES,Dinas Kesehatan,,,1000,100000,10\nDISDIK,Dinas Pendidikan,,,1000,100000,10\n"
	if _, err := st.ImportUnitsCSV(ctx, p, "u.csv", strings.NewReader(csv)); err != nil {
		b.Fatal(err)
	}
	if err := st.SetPeriodStatus(ctx, "B", survey.StatusOpen); err != nil {
		b.Fatal(err)
	}
	want := make([]survey.NewInvitation, b.N/2+1)
	for i := range want {
		want[i] = survey.NewInvitation{UnitCode: "DINKES", Type: survey.Internal}
	}
	issued, err := st.CreateInvitations(ctx, p.ID, want)
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	srv := startBenchServer(b, filepath.Join(dir, "bench.db"))
	url := srv.URL

	// What the page's form posts: every answer, and for an invitation the
	// page's hidden claim (period, unit, type).
	bodies := map[string]string{
		survey.Internal: fullAnswers(p.Instrument, survey.Internal) + "&_period=B&_unit=DINKES&_type=internal",
		survey.External: fullAnswers(p.Instrument, survey.External),
	}
	// Like a browser, the client accepts gzip (and unpacks it).
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	lat := make([]time.Duration, b.N)
	postLat := make([]time.Duration, b.N) // the POST alone: validation, queue, commit
	var next atomic.Int64
	var failures atomic.Int64
	var firstErr sync.Once
	fail := func(format string, args ...any) {
		failures.Add(1)
		firstErr.Do(func() { b.Errorf(format, args...) })
	}
	cpu0 := cpuTime()
	srv.start()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				// Every open-link response is a new browser: the GET gives it
				// its device cookie and a signed form, the POST returns both.
				path, typ := "/r/B/DISDIK", survey.External
				if i%2 == 0 {
					path, typ = "/s/"+issued[i/2].Token, survey.Internal
				}
				if load.rate > 0 {
					time.Sleep(time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(load.rate))))
				}
				t0 := time.Now()
				code, cookie, form := benchDo(client, "GET", url+path, "", "")
				if code != http.StatusOK {
					fail("GET %s: %d", path, code)
					continue
				}
				body := bodies[typ] + "&_started=" + strconv.FormatInt(t0.Unix()-300, 10)
				if typ == survey.External {
					body += "&_form=" + form
				}
				t1 := time.Now()
				if code, _, _ := benchDo(client, "POST", url+path, body, cookie); code != http.StatusSeeOther {
					fail("POST %s: %d", path, code)
					continue
				}
				if load.follow {
					if code, _, _ := benchDo(client, "GET", url+"/thanks", "", cookie); code != http.StatusOK {
						fail("GET /thanks: %d", code)
						continue
					}
				}
				lat[i] = time.Since(t0)
				postLat[i] = time.Since(t1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	cpu := cpuTime() - cpu0
	rep := srv.finish(b)

	slices.Sort(lat)
	slices.Sort(postLat)
	q := func(l []time.Duration, f float64) float64 {
		return float64(l[min(len(l)-1, int(f*float64(len(l))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "responses/s")
	b.ReportMetric(q(lat, 0.50), "p50_ms")
	b.ReportMetric(q(lat, 0.99), "p99_ms")
	b.ReportMetric(q(postLat, 0.50), "post_p50_ms")
	b.ReportMetric(q(postLat, 0.99), "post_p99_ms")
	b.ReportMetric(0, "ns/op")
	// The server's CPU per response, which, unlike the others, barely
	// depends on what else the machine is running; and the load
	// generator's, for scale (2 cores / their sum is the ceiling).
	b.ReportMetric(float64(rep.CPU.Microseconds())/float64(b.N), "server_cpu_µs/response")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "client_cpu_µs/response")
	b.ReportMetric(float64(rep.RSS)/(1<<20), "server_peak_rss_MB")
	stats := rep.Stats
	if stats.Batches > 0 {
		b.ReportMetric(float64(stats.Stored)/float64(stats.Batches), "responses/commit")
	}
	if n := failures.Load(); n > 0 {
		b.Fatalf("%d of %d responses failed", n, b.N)
	}
	if int(stats.Stored) != b.N {
		b.Fatalf("committer stored %d responses, want %d", stats.Stored, b.N)
	}
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident memory in bytes (server and load
// generator together, and whatever the test binary ran before).
func peakRSS() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss << 10
}

// phoneLanguages is the Accept-Language header of a phone set to
// Indonesian, as every browser sends one and the server reads it.
const phoneLanguages = "id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7"

// benchDo sends a request and returns the status, the cookie it set (as
// a Cookie header value) and the signed open-link form on the page.
func benchDo(c *http.Client, method, u, body, cookie string) (code int, setCookie, form string) {
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept-Language", phoneLanguages)
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", ""
	}
	defer resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if strings.HasPrefix(ck.Name, deviceCookiePrefix) {
			setCookie = ck.Name + "=" + ck.Value
		}
	}
	page, _ := io.ReadAll(resp.Body)
	const field = `name="_form" value="`
	if at := bytes.Index(page, []byte(field)); at >= 0 {
		rest := page[at+len(field):]
		form = string(rest[:bytes.IndexByte(rest, '"')])
	}
	return resp.StatusCode, setCookie, form
}

// fullAnswers answers every question a respondent of type t sees.
func fullAnswers(in *survey.Instrument, t string) string {
	v := url.Values{}
	for i, it := range in.ItemsFor(t) {
		switch it.Scale.Kind {
		case survey.KindOrdinal:
			v.Set(it.Code, strconv.Itoa(1+i%it.Scale.Points))
		case survey.KindExperience:
			v.Set(it.Code, []string{"yes", "no", "dk"}[i%3])
		case survey.KindText:
			v.Set(it.Code, "Pelayanan perlu lebih cepat dan biaya diumumkan di loket.")
		}
	}
	if in.Strata.For(t) {
		v.Set(in.Strata.Code, in.Strata.Options[1].Code)
	}
	return v.Encode()
}
