package survey

import (
	"context"
	"strings"
	"testing"
	"time"
)

// An imported response may say the hour its form was filled, so paper answers
// take part in the time-based checks (coached answering) like web answers;
// without the column it keeps the import's hour.
func TestResponsesCSVSubmittedAt(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	header := "unit,type,submitted_at,duration_seconds,T01,SOS01,SOS02\n"
	good := header + "DINKES,internal,2026-06-02T08,,4,5,4\nDINKES,internal,,,3,5,4\n"
	if got, err := st.ImportResponsesCSV(ctx, p, "paper.csv", strings.NewReader(good), ResponseImport{}); err != nil || got.Stored != 2 {
		t.Fatalf("import: %+v %v", got, err)
	}
	var hours []time.Time
	st.EachResponseIn(ctx, p.ID, 0, 1<<62, func(r *StoredResponse) error {
		hours = append(hours, r.Hour)
		return nil
	})
	want := []time.Time{time.Date(2026, 6, 2, 8, 0, 0, 0, time.UTC), testClock.Truncate(time.Hour)}
	if len(hours) != 2 || !hours[0].Equal(want[0]) || !hours[1].Equal(want[1]) {
		t.Errorf("hours %v, want %v", hours, want)
	}
	for _, c := range []struct{ name, row, want string }{
		{"date only", "DINKES,internal,2026-06-02,,4,5,4", `paper.csv:2: submitted_at: "2026-06-02" is not an hour written YYYY-MM-DDTHH`},
		{"minutes", "DINKES,internal,2026-06-02T08:30,,4,5,4", `paper.csv:2: submitted_at: "2026-06-02T08:30" is not an hour`},
		{"hour 25", "DINKES,internal,2026-06-02T25,,4,5,4", `paper.csv:2: submitted_at: "2026-06-02T25"`},
		{"future", "DINKES,internal,2026-07-01T08,,4,5,4", `paper.csv:2: submitted_at: "2026-07-01T08" lies after the import (2026-06-15T09)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.ImportResponsesCSV(ctx, p, "paper.csv", strings.NewReader(header+c.row+"\n"), ResponseImport{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
			if n := count(t, st, "SELECT count(*) FROM responses"); n != 2 {
				t.Errorf("a refused import changed the responses: %d rows", n)
			}
		})
	}
}
