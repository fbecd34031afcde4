package results

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"integritas/analysis"
	"integritas/survey"
)

// base is what an incremental update of a cached period starts from.
type base struct {
	version []string // the parts of the survey.DataVersion computed under
	inst    string   // the instrument's code and version
	// batch is the last response batch read; -1 when batches may have
	// arrived during the read, so that only a full read knows what it holds.
	batch int64
	memo  *analysis.Memo // the per-cell work of the computations so far
}

// instrumentKey names an instrument; one code and version never changes.
func instrumentKey(p *survey.Period) string {
	return p.Instrument.Code + "/" + strconv.Itoa(p.Instrument.Version)
}

// extends reports whether a period under version differs from the base
// only by new responses: no response went or changed, and settings,
// status, decisions, corrections, units, populations, the roster and the
// instrument are as they were.
func (b *base) extends(p *survey.Period, version string) bool {
	if b == nil || b.batch < 0 {
		return false
	}
	parts := strings.Split(version, "/")
	_, edits, _ := strings.Cut(parts[0], ".")
	_, baseEdits, _ := strings.Cut(b.version[0], ".")
	return len(parts) == len(b.version) && slices.Equal(parts[1:], b.version[1:]) && edits == baseEdits && instrumentKey(p) == b.inst
}

// computeFull reads and computes period p afresh, under version.
func computeFull(ctx context.Context, st *survey.Store, p *survey.Period, version string) (*Period, *base, error) {
	before, err := st.LastBatch(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	in, units, err := Load(ctx, st, p)
	if err != nil {
		return nil, nil, err
	}
	after, err := st.LastBatch(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	memo := analysis.NewMemo()
	res, err := finish(ctx, st, p, units, in, memo, 0)
	if err != nil {
		return nil, nil, err
	}
	b := &base{version: strings.Split(version, "/"), inst: instrumentKey(p), batch: before, memo: memo}
	if after != before {
		b.batch = -1
	}
	return res, b, nil
}

// update computes period p from prev by reading only the response batches
// after the base's: it reports false, with nothing computed, when a
// response prev read is gone (a full computation must follow). New
// responses are appended in place after prev's (their analysis does not
// depend on the order, analysis/tally.go), so the caller must never
// update from one Period twice.
func update(ctx context.Context, st *survey.Store, p *survey.Period, version string, prev *Period, b *base) (*Period, *base, bool, error) {
	codes := make(map[int64]string, len(prev.Units))
	for _, u := range prev.Units {
		codes[u.ID] = u.Code
	}
	width := len(p.Instrument.Items)
	var news []analysis.Response
	var slab []byte
	last, _, err := st.EachResponseAfter(ctx, p.ID, b.batch, func(r *survey.StoredResponse) error {
		if len(slab) < width {
			slab = make([]byte, width*1024)
		}
		news = append(news, convert(p, codes, r, slab[:width:width]))
		slab = slab[width:]
		return nil
	})
	if err != nil {
		return nil, nil, false, err
	}
	// The period's count under version (read before the batches): a
	// response that went, or a batch that arrived after the version was
	// read, makes the counts disagree and a full read follows.
	if count, ok := responseCount(version); !ok || count-len(news) != len(prev.Input.Responses) {
		return nil, nil, false, nil
	}
	in := prev.Input
	in.Responses = append(prev.Input.Responses, news...)
	// The memo's last computation was prev's, whose responses stay as
	// they were at the start of in's.
	res, err := finish(ctx, st, p, prev.Units, in, b.memo, len(prev.Input.Responses))
	if err != nil {
		return nil, nil, false, err
	}
	return res, &base{version: strings.Split(version, "/"), inst: b.inst, batch: last, memo: b.memo}, true, nil
}

// responseCount reads the period's response count from a DataVersion,
// whose first part is "count.edits".
func responseCount(version string) (int, bool) {
	part, _, _ := strings.Cut(version, "/")
	count, _, ok := strings.Cut(part, ".")
	n, err := strconv.Atoi(count)
	return n, ok && err == nil
}
