package server

import (
	"sync"

	"integritas/analysis"
	"integritas/results"
)

// qualityMemo keeps the data-quality flags of the latest computed results of
// each period: the coaching search behind them costs as much as the
// results, and the results cache hands out the same *results.Period until
// the data changes, so that pointer is the key.
type qualityMemo struct {
	mu sync.Mutex
	m  map[string]qualityEntry // period code → flags
}

type qualityEntry struct {
	of    *results.Period
	flags map[int64][]analysis.Flag
}

func newQualityMemo() *qualityMemo { return &qualityMemo{m: map[string]qualityEntry{}} }

// flags returns the quality flags of r, computing them once per r.
func (q *qualityMemo) flags(r *results.Period) (map[int64][]analysis.Flag, error) {
	code := r.Period.Code
	q.mu.Lock()
	if e, ok := q.m[code]; ok && e.of == r {
		q.mu.Unlock()
		return e.flags, nil
	}
	q.mu.Unlock()
	flags, err := analysis.QualityFlags(r.Input)
	if err != nil {
		return nil, err
	}
	q.mu.Lock()
	q.m[code] = qualityEntry{of: r, flags: flags}
	q.mu.Unlock()
	return flags, nil
}
