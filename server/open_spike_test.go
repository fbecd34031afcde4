package server

import (
	"strings"
	"testing"
	"time"
)

func TestSpikeWatch(t *testing.T) {
	now := time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
	w := spikeWatch{units: map[[2]int64]*arrivals{}}
	// Ten an hour for three hours, then 25 within 20 minutes.
	for h := range 3 {
		for i := range 10 {
			w.record(1, 1, now.Add(time.Duration(h)*time.Hour+time.Duration(i)*5*time.Minute))
		}
	}
	at := now.Add(3 * time.Hour)
	if peak, _ := w.peak(1, 1, at); peak != 10 {
		t.Errorf("steady peak %d, want 10 an hour", peak)
	}
	for i := range 25 {
		w.record(1, 1, at.Add(time.Duration(i)*45*time.Second))
	}
	peak, ended := w.peak(1, 1, at.Add(20*time.Minute))
	if peak < 25 || ended.Before(at) {
		t.Errorf("burst peak %d ending %v, want at least 25 after %v", peak, ended, at)
	}
	if p, _ := w.peak(1, 2, at); p != 0 {
		t.Errorf("another unit has %d arrivals", p)
	}
	// A day later the buckets are reused, not added to.
	if p, _ := w.peak(1, 1, at.Add(25*time.Hour)); p != 0 {
		t.Errorf("a day later the peak is still %d", p)
	}
	cases := []struct {
		peak  int
		usual float64
		want  bool
	}{{19, 0, false}, {20, 0, true}, {20, 4, true}, {20, 4.1, false}, {100, 30, false}}
	for _, c := range cases {
		if got := isSpike(c.peak, c.usual); got != c.want {
			t.Errorf("isSpike(%d, %.1f) = %v", c.peak, c.usual, got)
		}
	}
}

// TestNoSpikeWithoutStuffing: the inspectorate's page shows no alert for
// ordinary traffic (the control of TestOpenLinkStuffing's alert).
func TestNoSpikeWithoutStuffing(t *testing.T) {
	e, _, hs := clockEnv(t)
	for range 3 {
		vis := visitOpen(t, hs.URL, "/r/SPI-T/DINKES", nil)
		if code, page, _ := postAs(t, hs.URL, "/r/SPI-T/DINKES", vis.body(valid()), vis.header(nil)); code != 303 {
			t.Fatalf("answer: %d %.200s", code, page)
		}
	}
	resp, body := (&stuffer{t: t, base: hs.URL}).send("GET", "/inspectorate/SPI-T", "", e.loginAs("inspector"))
	if resp.StatusCode != 200 || !strings.Contains(body, "/inspectorate/SPI-T/openlinks") {
		t.Fatalf("inspectorate page: %d %.200s", resp.StatusCode, body)
	}
	if strings.Contains(body, `id="open-spikes"`) {
		t.Error("a spike alert for three answers")
	}
}
