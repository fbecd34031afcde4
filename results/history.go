package results

import (
	"context"
	"errors"
	"fmt"

	"integritas/analysis"
	"integritas/survey"
)

// Getter returns a computed period: Computer's fresh computation, or a
// Cache's Get.
type Getter func(ctx context.Context, code string) (*Period, error)

// Computer is a Getter that computes each period afresh from the store.
func Computer(st *survey.Store) Getter {
	return func(ctx context.Context, code string) (*Period, error) {
		return Compute(ctx, st, code, Options{})
	}
}

// maxHistory bounds the earlier periods a trend shows.
const maxHistory = 10

// History is a computed period with what its packets compare it against.
type History struct {
	Current *Period
	// Earlier holds up to ten earlier periods, oldest first.
	Earlier []*Period
	// FollowUp holds the previous period's action plans by unit code.
	FollowUp map[string][]survey.ActionPlan
	// Cross sets the MCP and PMPRB figures beside the period (CrossRef).
	Cross *analysis.CrossRef
}

// LoadHistory computes the period code (through get) and every earlier
// period, and reads the previous period's action plans: everything a
// packet shows, read here so that packet never touches the store.
func LoadHistory(ctx context.Context, st *survey.Store, get Getter, code string) (*History, error) {
	cur, err := get(ctx, code)
	if err != nil {
		return nil, err
	}
	h := &History{Current: cur, FollowUp: map[string][]survey.ActionPlan{}}
	p := cur.Period
	for range maxHistory {
		prev, err := st.PreviousPeriod(ctx, p)
		if errors.Is(err, survey.ErrNotFound) {
			break
		}
		if err != nil {
			return nil, err
		}
		r, err := get(ctx, prev.Code)
		if err != nil {
			return nil, fmt.Errorf("results: earlier period %s: %w", prev.Code, err)
		}
		if len(h.Earlier) == 0 {
			plans, err := st.ActionPlans(ctx, prev.ID, "")
			if err != nil {
				return nil, err
			}
			for _, a := range plans {
				h.FollowUp[a.UnitCode] = append(h.FollowUp[a.UnitCode], a)
			}
		}
		h.Earlier = append([]*Period{r}, h.Earlier...)
		p = prev
	}
	if h.Cross, err = CrossRef(ctx, st, cur, get); err != nil {
		return nil, err
	}
	return h, nil
}
