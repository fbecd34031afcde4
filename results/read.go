package results

import (
	"context"
	"encoding/hex"
	"errors"
	"runtime"

	"golang.org/x/sync/errgroup"

	"integritas/analysis"
	"integritas/survey"
)

// errMoved reports that responses arrived or went while a period was read
// in parts, so a part did not fill its share of the slice.
var errMoved = errors.New("results: responses changed during the read")

// responses reads the period's responses into one slice sized up front,
// the cores filling disjoint ranges of it (no concatenating copy). Answer
// vectors are copied into one slab per part, so 500,000 responses cost a
// handful of allocations besides the device strings. Should responses
// arrive during the read, it reads again in one part.
func responses(ctx context.Context, st *survey.Store, p *survey.Period, codes map[int64]string) ([]analysis.Response, error) {
	parts := runtime.GOMAXPROCS(0)
	n, starts, err := st.ResponseSplits(ctx, p.ID, parts)
	if err != nil || n == 0 {
		return nil, err
	}
	if n < 20000 {
		parts, starts = 1, starts[:1]
	}
	// Headroom, so that the results cache can append the next batches
	// in place instead of copying the period (incremental.go).
	out := make([]analysis.Response, n, n+n/16+1024)
	touch(out[:cap(out)])
	g, gctx := errgroup.WithContext(ctx)
	for i := range parts {
		from, to := n*i/parts, n*(i+1)/parts
		lo, hi := starts[i], int64(1<<63-1)
		if i+1 < parts {
			hi = starts[i+1] - 1
		}
		g.Go(func() error {
			// Allocated here, the slab is zeroed and populated by the
			// part's own core rather than before the parts start: the
			// serial start of the read took 33–241 ms (min–max of 16,
			// median 133) instead of 41–717 (median 180), load 6.
			slab := make([]byte, (to-from)*len(p.Instrument.Items))
			touch(slab)
			return fill(gctx, st, p, codes, lo, hi, out[from:to], slab)
		})
	}
	err = g.Wait()
	if errors.Is(err, errMoved) {
		return readAll(ctx, st, p, codes)
	}
	return out, err
}

// fill reads the responses with ids lo..hi into out, which they must fill
// exactly, their answers into slab.
func fill(ctx context.Context, st *survey.Store, p *survey.Period, codes map[int64]string, lo, hi int64, out []analysis.Response, slab []byte) error {
	j := 0
	width := len(p.Instrument.Items)
	err := st.EachResponseIn(ctx, p.ID, lo, hi, func(r *survey.StoredResponse) error {
		if j == len(out) {
			return errMoved
		}
		out[j] = convert(p, codes, r, slab[j*width:(j+1)*width:(j+1)*width])
		j++
		return nil
	})
	if err == nil && j != len(out) {
		err = errMoved
	}
	return err
}

// readAll reads the period's responses in one scan, growing as it goes.
func readAll(ctx context.Context, st *survey.Store, p *survey.Period, codes map[int64]string) ([]analysis.Response, error) {
	var out []analysis.Response
	width := len(p.Instrument.Items)
	err := st.EachResponse(ctx, p.ID, func(r *survey.StoredResponse) error {
		out = append(out, convert(p, codes, r, make([]byte, width)))
		return nil
	})
	return out, err
}

// convert turns a stored response into analysis's view, its answers copied
// into ans (a vector shorter than the instrument leaves NoAnswer).
func convert(p *survey.Period, codes map[int64]string, r *survey.StoredResponse, ans []byte) analysis.Response {
	copy(ans, r.Answers)
	resp := analysis.Response{ID: r.ID, Unit: codes[r.UnitID], Type: r.Type, Channel: r.Channel, Hour: r.Hour,
		Duration: float64(r.Duration), Stratum: r.Stratum, Answers: ans,
		Incomplete: r.Channel == survey.ChannelPaper && p.Instrument.SkippedRequired(r.Type, ans) > 0}
	if len(r.DeviceHash) > 0 {
		resp.Device = hex.EncodeToString(r.DeviceHash)
	}
	return resp
}
