package packet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"integritas/locale"
	"integritas/results"
	"integritas/survey"
)

// Getter returns a computed period (results.Compute, or a results.Cache's Get).
type Getter func(ctx context.Context, code string) (*results.Period, error)

// Load prepares the source of a period's packets: the period, every earlier
// period for the trend, and the previous period's action plans.
func Load(ctx context.Context, st *survey.Store, get Getter, code string, bundle *locale.Bundle, inspectorate string, now time.Time) (*Source, error) {
	cur, err := get(ctx, code)
	if err != nil {
		return nil, err
	}
	src := &Source{Current: cur, Bundle: bundle, Inspectorate: inspectorate, Date: now, FollowUp: map[string][]survey.ActionPlan{}}
	var history []*results.Period
	p := cur.Period
	for range 10 { // the trend shows at most ten earlier periods
		prev, err := st.PreviousPeriod(ctx, p)
		if errors.Is(err, survey.ErrNotFound) {
			break
		}
		if err != nil {
			return nil, err
		}
		r, err := get(ctx, prev.Code)
		if err != nil {
			return nil, fmt.Errorf("packet: earlier period %s: %w", prev.Code, err)
		}
		if len(history) == 0 {
			plans, err := st.ActionPlans(ctx, prev.ID, "")
			if err != nil {
				return nil, err
			}
			for _, a := range plans {
				src.FollowUp[a.UnitCode] = append(src.FollowUp[a.UnitCode], a)
			}
		}
		history = append([]*results.Period{r}, history...)
		p = prev
	}
	src.History = history
	if src.Cross, err = results.CrossRef(ctx, st, cur, results.Getter(get)); err != nil {
		return nil, err
	}
	if err := src.Prepare(); err != nil {
		return nil, err
	}
	return src, nil
}

// Compute is a Getter that computes each period afresh.
func Compute(st *survey.Store) Getter {
	return func(ctx context.Context, code string) (*results.Period, error) {
		return results.Compute(ctx, st, code, results.Options{})
	}
}
