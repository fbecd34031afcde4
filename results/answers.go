package results

import (
	"context"

	"integritas/survey"
)

// Answers is what an export of a period's anonymised answers reads, taken
// from the store here so that export never holds it: the units, the
// response counts by unit and type (for k), the free text, and a stream of
// the responses in an order unrelated to submission. A period of 500,000
// responses is streamed, never held in memory.
type Answers struct {
	Period *survey.Period
	Units  []survey.Unit
	// Counts holds the number of responses by unit id and type.
	Counts map[int64]map[string]int
	// Texts reads the free-text answers; called only when the export may
	// hold some.
	Texts func(ctx context.Context) ([]survey.TextAnswer, error)
	// Each streams every response, in an order unrelated to submission.
	Each func(ctx context.Context, fn func(*survey.StoredResponse) error) error
}

// AnswersOf reads what an answers export of period p needs.
func AnswersOf(ctx context.Context, st *survey.Store, p *survey.Period) (*Answers, error) {
	units, err := st.Units(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	counts, err := st.ResponseCounts(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return &Answers{
		Period: p, Units: units, Counts: counts,
		Texts: func(ctx context.Context) ([]survey.TextAnswer, error) { return st.TextAnswers(ctx, p.ID) },
		Each: func(ctx context.Context, fn func(*survey.StoredResponse) error) error {
			return st.EachResponseBlind(ctx, p.ID, fn)
		},
	}, nil
}
