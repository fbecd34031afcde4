package server

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"integritas/analysis"
	"integritas/internal/testdeps"
	"integritas/survey"
)

// coachDINKES adds the pattern of pengkondisian to the test period: 12
// identical internal answer vectors in DINKES submitted within 3 hours
// (spi-method §6), and returns the flagged cluster's ID.
func coachDINKES(t *testing.T, e *testEnv) string {
	t.Helper()
	ctx := context.Background()
	u, err := e.store.Unit(ctx, e.period.ID, "DINKES")
	if err != nil {
		t.Fatal(err)
	}
	vec := answers(e.period.Instrument, survey.Internal, 0.97, rand.New(rand.NewPCG(3, 5)))
	rs := make([]survey.NewResponse, 12)
	for i := range rs {
		rs[i] = survey.NewResponse{PeriodID: e.period.ID, UnitID: u.ID, Type: survey.Internal, Channel: survey.ChannelInvitation,
			Submitted: time.Date(2026, 6, 12, 9+i%3, 0, 0, 0, time.UTC), Duration: 500 + 10*i,
			Answers: survey.Answers{Vector: append([]byte(nil), vec...)}}
	}
	if err := e.store.InsertResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	r := e.computed("SPI-T")
	for _, ur := range r.Results.Units {
		if ur.Code != "DINKES" {
			continue
		}
		for _, cl := range ur.Quality.Clusters {
			if cl.Flagged && cl.Decision == analysis.ClusterPending && ur.Review.UnderReview {
				return cl.ID
			}
		}
		t.Fatalf("DINKES is not under review after 12 identical answers in 3 hours: %+v %+v", ur.Review, ur.Quality.Clusters)
	}
	t.Fatal("no DINKES")
	return ""
}

// pdfText runs poppler's pdftotext; it skips when missing unless
// INTEGRITAS_REQUIRE_ALL=1 makes that a failure.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		testdeps.Missing(t, "pdftotext", "install poppler-utils (apt-get install poppler-utils)")
	}
	in := filepath.Join(t.TempDir(), "p.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return regexp.MustCompile(`\s+`).ReplaceAllString(string(out), " ")
}
