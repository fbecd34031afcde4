package survey_test

import (
	"context"
	"testing"

	"integritas/survey"
)

// BenchmarkCommitterLone measures the writer for one respondent at a time:
// each submission finds the writer idle, as at a light load.
func BenchmarkCommitterLone(b *testing.B) {
	f := newFixtureWith(b)
	c := newCommitter(b, f)
	toks := f.invite(b, "A", survey.Internal, b.N+1)
	ctx := context.Background()
	uA, _ := f.st.Unit(ctx, f.p.ID, "A")
	a, _ := f.p.Instrument.ParseAnswers(survey.Internal, map[string]string{"T01": "4", "SOS01": "3", "SOS02": "5", "X01": "lebih cepat", "X02": "biaya diumumkan"})
	hashes := make([][]byte, len(toks))
	for i, t := range toks {
		hashes[i], _ = survey.TokenHash(t.Token)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		sub := &survey.Submission{TokenHash: hashes[i], Response: survey.NewResponse{PeriodID: f.p.ID, UnitID: uA.ID, Type: survey.Internal,
			Channel: survey.ChannelInvitation, Duration: 300, Answers: a}}
		if err := c.Submit(ctx, sub); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu_µs/answer")
}
