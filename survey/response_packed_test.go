package survey

import (
	"bytes"
	"context"
	"testing"
	"time"
)

func TestAppendHourAD(t *testing.T) {
	for _, c := range [][2]int64{{1, 1}, {7, 1 << 52}, {12345, 987654321}} {
		if got, want := appendHourAD([]byte("old"), c[0], c[1])[3:], hourAD(c[0], c[1]); !bytes.Equal(got, want) {
			t.Errorf("appendHourAD%v = %q, want %q", c, got, want)
		}
	}
}

// TestPackedRoundTrip reads back every type, channel and language, with
// and without a device hash, stratum and duration, and a row stored before
// hours were sealed (its hour in the clear), through packedResponse.
func TestPackedRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	p := newPeriod(t, st, "P")
	u, _ := st.Unit(ctx, p.ID, "DINKES")
	var in []NewResponse
	for i, typ := range Types {
		for j, ch := range []string{ChannelInvitation, ChannelOpen, ChannelPaper} {
			for k, lang := range []string{"id", "en"} {
				r := NewResponse{PeriodID: p.ID, UnitID: u.ID, Type: typ, Channel: ch, Lang: lang,
					Submitted: testClock.Add(time.Duration(i*6+j*2+k) * time.Hour), Duration: 604800 - i*6 - j*2 - k,
					Answers: Answers{Vector: make([]byte, len(p.Instrument.Items))}}
				r.Answers.Vector[(i*6+j*2+k)%len(r.Answers.Vector)] = byte(1 + i*6 + j*2 + k)
				if k == 1 {
					r.DeviceHash, r.Duration = bytes.Repeat([]byte{byte(i*6 + j*2)}, 32), -1
				}
				if typ == Internal && j == 1 {
					r.Answers.Stratum = "III"
				}
				in = append(in, r)
			}
		}
	}
	if err := st.InsertResponses(ctx, in); err != nil {
		t.Fatal(err)
	}
	// The legacy row: one stored before migration 12, its hour in the clear.
	var legacy int64
	if err := st.w.QueryRow(`SELECT min(id) FROM responses`).Scan(&legacy); err != nil {
		t.Fatal(err)
	}
	if _, err := st.w.Exec(`UPDATE responses SET hour_sealed = NULL, submitted_hour = '2026-06-14T21' WHERE id = ?`, legacy); err != nil {
		t.Fatal(err)
	}
	seen := 0
	err := st.EachResponse(ctx, p.ID, func(r *StoredResponse) error {
		seen++
		var w *NewResponse
		for i := range in {
			if in[i].Type == r.Type && in[i].Channel == r.Channel && in[i].Lang == r.Lang {
				w = &in[i]
			}
		}
		if w == nil {
			t.Fatalf("response %d: %s/%s/%s stored by none", r.ID, r.Type, r.Channel, r.Lang)
		}
		hour := w.Submitted.Truncate(time.Hour)
		if r.ID == legacy {
			hour = time.Date(2026, 6, 14, 21, 0, 0, 0, time.UTC)
		}
		if r.UnitID != u.ID || r.Duration != w.Duration || !bytes.Equal(r.DeviceHash, w.DeviceHash) ||
			!bytes.Equal(r.Answers, w.Answers.Vector) || r.Stratum != w.Answers.Stratum || !r.Hour.Equal(hour) {
			t.Errorf("read back %+v, stored %+v", *r, *w)
		}
		return nil
	})
	if err != nil || seen != len(in) {
		t.Fatalf("EachResponse: %d of %d, %v", seen, len(in), err)
	}
}
