package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
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
	"integritas/config"
	"integritas/survey"
)

// BenchmarkRespond measures complete responses per second over a real HTTP
// server on 127.0.0.1 and a real SQLite file (synchronous=FULL): 64
// concurrent clients, each response one GET of the questionnaire and one
// POST of every answer for its respondent type — half through invitation
// links (internal respondents, 46 questions + strata), half through the
// open link (external, 24 questions) with a device cookie. The load
// generator runs in the same process, so it shares the 2 cores. Reported:
// responses/s; p50 and p99 of a complete response (GET + POST) and of the
// POST alone; responses per commit (group commit at work); and the
// process's CPU per response, which, unlike the others, barely depends on
// what else the machine is running (2 cores / it is the ceiling).
//
//	go test ./server -run '^$' -bench Respond -benchtime 20000x -count 5
//	BENCH_DIR=/dev/shm go test ...   (the same without the disk's fsync)
func BenchmarkRespond(b *testing.B) {
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
	st, err := survey.Open(ctx, filepath.Join(dir, "bench.db"), survey.WithPoolRelease(1))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
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
	cfg := config.Defaults()
	cfg.CookieSecure = false
	srv, err := New(Options{Store: st, Config: cfg, OpenLinkLimit: RateLimit{PerMinute: -1}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	// What the page's form posts: every answer, and for an invitation the
	// page's hidden claim (period, unit, type).
	bodies := map[string]string{
		survey.Internal: fullAnswers(p.Instrument, survey.Internal) + "&_period=B&_unit=DINKES&_type=internal",
		survey.External: fullAnswers(p.Instrument, survey.External),
	}
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true}
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
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			device := "integritas_device=" + strings.Repeat(string(rune('A'+c%26)), 21) + "A"
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				path, typ, cookie := "/r/B/DISDIK", survey.External, device
				if i%2 == 0 {
					path, typ, cookie = "/s/"+issued[i/2].Token, survey.Internal, ""
				}
				t0 := time.Now()
				if code := benchDo(client, "GET", hs.URL+path, "", cookie); code != http.StatusOK {
					fail("GET %s: %d", path, code)
					continue
				}
				body := bodies[typ] + "&_started=" + strconv.FormatInt(t0.Unix()-300, 10)
				t1 := time.Now()
				if code := benchDo(client, "POST", hs.URL+path, body, cookie); code != http.StatusSeeOther {
					fail("POST %s: %d", path, code)
					continue
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
	// CPU of the whole process (server and load generator) per response:
	// 2 cores / this is the ceiling on an otherwise idle machine.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu_µs/response")
	stats := srv.Committer().Stats()
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

func benchDo(c *http.Client, method, u, body, cookie string) int {
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
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
