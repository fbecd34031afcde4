package survey

import (
	"context"
	"strings"
	"testing"
)

// A paper form that skips a required item is stored with the item missing
// and counted as "paper, incomplete"; the same file is refused when strict.
func TestResponsesCSVSkippedRequired(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	body := "unit,type,duration_seconds,T01,SOS01,SOS02\n" +
		"DINKES,internal,,4,,4\n" + // SOS01 is required and skipped
		"DINKES,internal,,3,5,2\n"
	_, err := st.ImportResponsesCSV(ctx, p, "paper.csv", strings.NewReader(body), ResponseImport{Strict: true})
	if err == nil || !strings.Contains(err.Error(), "paper.csv:2: SOS01: this item must be answered") {
		t.Fatalf("strict: %v", err)
	}
	if n := count(t, st, "SELECT count(*) FROM responses"); n != 0 {
		t.Fatalf("a strict refusal stored %d responses", n)
	}
	got, err := st.ImportResponsesCSV(ctx, p, "paper.csv", strings.NewReader(body), ResponseImport{})
	if err != nil || got != (ImportedResponses{Stored: 2, Incomplete: 1}) {
		t.Fatalf("lenient: %+v %v", got, err)
	}
	_, sos, _ := p.Instrument.Item("SOS01")
	_, t01, _ := p.Instrument.Item("T01")
	incomplete := 0
	err = st.EachResponse(ctx, p.ID, func(r *StoredResponse) error {
		if r.Channel != ChannelPaper {
			t.Errorf("channel %q", r.Channel)
		}
		if p.Instrument.SkippedRequired(r.Type, r.Answers) > 0 {
			incomplete++
			if r.Answers[sos] != AnswerNone || r.Answers[t01] != 4 {
				t.Errorf("incomplete response stored %v: SOS01 must be missing, T01 kept", r.Answers)
			}
		}
		return nil
	})
	if err != nil || incomplete != 1 {
		t.Errorf("stored incomplete responses: %d %v", incomplete, err)
	}
}

// A row that answers no item is refused in lenient mode too: its skipped
// required items are waived, but it must not be stored as a response with
// no answer (the fuzzer found this: FuzzParseResponsesCSV).
func TestResponsesCSVEmptyRowRefusedWhenLenient(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	body := "unit,type,duration_seconds,T01,SOS01,SOS02\n" +
		"DINKES,internal,,3,5,2\n" +
		"DINKES,external,,,,\n"
	_, err := st.ImportResponsesCSV(ctx, p, "paper.csv", strings.NewReader(body), ResponseImport{})
	if err == nil || !strings.Contains(err.Error(), "paper.csv:3") || !strings.Contains(err.Error(), "the row answers no item") {
		t.Fatalf("an empty row was not refused by line: %v", err)
	}
	if n := count(t, st, "SELECT count(*) FROM responses"); n != 0 {
		t.Fatalf("a refused file stored %d responses", n)
	}
}
