package loadtest

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"

	"integritas/survey"
)

// Mix makes the respondents of a benchmark: the i-th is, with probability
// Invitation, a staff member or expert on one of the fixture's unused
// invitation links, else a member of the public on a random unit's open
// link. Each comes from an address of its own and draws its answers from
// Seed and i, so the same settings give the same answers.
type Mix struct {
	Fixture    *Fixture
	Invitation float64 // share of invitation respondents, 0..1
	Seed       uint64
	Limit      int  // respondents at most (0: as many as asked)
	API        bool // post JSON to the API instead of the form

	used atomic.Int64 // invitations handed out
}

// Job returns the i-th respondent; false past Limit.
func (m *Mix) Job(i int) (Job, bool) {
	if m.Limit > 0 && i >= m.Limit {
		return Job{}, false
	}
	r := rand.New(rand.NewPCG(m.Seed, uint64(i)))
	j := Job{Seed: r.Uint64(), Addr: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)}
	if r.Float64() < m.Invitation {
		if k := int(m.used.Add(1) - 1); k < len(m.Fixture.Tokens) {
			t := m.Fixture.Tokens[k]
			j.Kind, j.Token, j.Unit, j.Type = InviteForm, t.Token, t.Unit, t.Type
			if m.API {
				j.Kind = InviteAPI
			}
			return j, true
		}
	}
	j.Kind, j.Period, j.Type = OpenForm, m.Fixture.Period.Code, survey.External
	j.Unit = m.Fixture.Units[r.IntN(len(m.Fixture.Units))]
	if m.API {
		j.Kind = OpenAPI
	}
	return j, true
}

// InvitationsUsed is how many invitation links were handed out.
func (m *Mix) InvitationsUsed() int {
	return int(min(m.used.Load(), int64(len(m.Fixture.Tokens))))
}
