package packet

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"

	"integritas/internal/demo"
	"integritas/results"
)

// A packet's rencana aksi sheet, filled in and uploaded back, yields the
// plans; bad rows are reported with their row and column, and only the
// uploader's units are accepted.
func TestParsePlansRoundTrip(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	u := unitResult(t, src, "DPUPR")
	elements := []string{}
	for _, e := range src.Current.Period.Instrument.Elements {
		elements = append(elements, e.Code)
	}
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			tr := src.Bundle.For(lang)
			var buf bytes.Buffer
			if err := src.XLSX(&buf, "DPUPR", lang); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			sheet := tr.T("packet.sheet.followup")
			row := func(i int) int { return HeaderRow + 1 + i }
			set := func(col string, i int, v string) {
				ref := col + itoa(row(i))
				if err := f.SetCellStr(sheet, ref, v); err != nil {
					t.Fatal(err)
				}
			}
			set("E", 0, "Publikasi HPS di LPSE")
			set("F", 0, "Kepala Bidang")
			set("G", 0, "2027-03-31")
			set("H", 0, tr.T("packet.status.in_progress"))
			set("E", 1, "Rotasi pejabat pengadaan")
			set("G", 1, "31/03/2027") // not ISO
			// a row for another unit
			set("A", 2, "DINKES")
			set("E", 2, "x")
			var out bytes.Buffer
			f.WriteTo(&out)
			plans, probs, err := ParsePlans(&out, src.Bundle, []string{"DPUPR"}, elements, "kepala@dpupr")
			if err != nil {
				t.Fatal(err)
			}
			if len(plans) != 1 || plans[0].Element != u.RiskElements[0].Element || plans[0].Status != "in_progress" || plans[0].DueDate != "2027-03-31" {
				t.Errorf("plans = %+v", plans)
			}
			if len(probs) != 2 || probs[0].Column != "G" || probs[0].Row != row(1) || probs[1].Column != "A" {
				t.Errorf("problems = %+v", probs)
			}
		})
	}
	if _, _, err := ParsePlans(bytes.NewReader([]byte("not a workbook")), src.Bundle, nil, nil, ""); !errors.Is(err, ErrPlanSheet) {
		t.Errorf("garbage upload: err = %v", err)
	}
}

func itoa(n int) string {
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

func TestFollowUpProposals(t *testing.T) {
	st := demoStore(t)
	src := demoSource(t, st)
	prev, err := results.Computer(st)(context.Background(), demo.Previous)
	if err != nil {
		t.Fatal(err)
	}
	var dpupr []string
	for _, u := range prev.Results.Units {
		if u.Code == "DPUPR" {
			for _, re := range u.RiskElements {
				dpupr = append(dpupr, re.Element)
			}
		}
	}
	if len(dpupr) == 0 {
		t.Fatal("fixture: DPUPR should have had risk elements last period")
	}
	plans := src.FollowUp["DPUPR"] // the fixture planned pbj, done
	props := FollowUpProposals(prev, plans)
	for _, p := range props {
		if p.Unit != "DPUPR" {
			continue
		}
		for _, e := range p.Missing {
			if e == "pbj" {
				t.Error("pbj has a plan and is still proposed")
			}
		}
		if len(p.Missing) != len(dpupr)-1 {
			t.Errorf("DPUPR missing %v of %v", p.Missing, dpupr)
		}
		return
	}
	t.Error("DPUPR has risk elements without plans and is not proposed")
}
