package server

import (
	"integritas/analysis"
	"integritas/survey"
)

type riskRow struct {
	Element, Recommendation string
	Types                   []string
	Reasons                 []string
}

// riskRows names each risk element, why, and the instrument's recommendation.
func riskRows(tr translator, inst *survey.Instrument, lang string, risks []analysis.RiskElement) []riskRow {
	var out []riskRow
	for _, re := range risks {
		row := riskRow{Element: elementName(inst, lang, re.Element)}
		if e, ok := inst.Element(re.Element); ok {
			row.Recommendation = e.Recommendation.In(lang)
		}
		for _, t := range re.Types {
			row.Types = append(row.Types, typeName(tr, t))
		}
		for _, why := range re.Reasons {
			city := "—"
			if why.City != nil {
				city = tr.Num(*why.City, 2)
			}
			row.Reasons = append(row.Reasons, tr.T("dash.risk."+why.Reason, "Type", typeName(tr, why.Type),
				"Score", tr.Num(why.Score, 2), "High", tr.Num(why.CIHigh, 2), "City", city))
		}
		out = append(out, row)
	}
	return out
}

type hotSpotRow struct {
	Item, Text, Element, Type string
	Prevalence, CI, N, City   string
	Reasons                   []string
}

// hotSpotRows lists the titik rawan with prevalence and its Wilson interval.
func hotSpotRows(tr translator, inst *survey.Instrument, lang string, share float64, hs []analysis.HotSpot) []hotSpotRow {
	pct := func(v float64) string { return tr.Num(100*v, 1) + "%" }
	var out []hotSpotRow
	for _, h := range hs {
		row := hotSpotRow{Item: h.Item, Element: elementName(inst, lang, h.Element), Type: typeName(tr, h.Type),
			Prevalence: pct(h.Prevalence), CI: pct(h.CI[0]) + "–" + pct(h.CI[1]), N: tr.Num(float64(h.N), 0), City: "—"}
		if it, _, ok := inst.Item(h.Item); ok {
			row.Text = it.Text.In(lang)
		}
		if h.City != nil {
			row.City = pct(*h.City)
		}
		for _, r := range h.Reasons {
			row.Reasons = append(row.Reasons, tr.T("dash.hot."+r, "Share", pct(share)))
		}
		out = append(out, row)
	}
	return out
}

type reliabilityRow struct {
	Type, Element, Alpha, N string
	Weak                    bool
	WeakItems               []string
	Missing                 bool // α not reported
}

// reliabilityRows gives Cronbach's α per element and type with the items
// whose corrected item–total correlation is under 0.30 (spi-method.md §7).
func reliabilityRows(tr translator, inst *survey.Instrument, lang string, u *analysis.UnitResult) []reliabilityRow {
	var out []reliabilityRow
	for _, t := range analysis.Types() {
		comp := u.Components[t]
		if comp == nil || comp.Suppressed {
			continue
		}
		for _, code := range elementCodes(inst) {
			e := comp.Elements[code]
			if e == nil || e.Suppressed {
				continue
			}
			row := reliabilityRow{Type: typeName(tr, t), Element: elementName(inst, lang, code), Alpha: "—", N: "—"}
			if e.Reliability == nil {
				row.Missing = true
				out = append(out, row)
				continue
			}
			rel := e.Reliability
			row.Alpha, row.N, row.Weak = tr.Num(rel.Alpha, 2), tr.Num(float64(rel.N), 0), rel.Alpha < 0.70
			for _, it := range rel.Items {
				if it.RDrop != nil && *it.RDrop < 0.30 {
					text := it.Item
					if item, _, ok := inst.Item(it.Item); ok {
						text += ": " + clipText(item.Text.In(lang), 120)
					}
					row.WeakItems = append(row.WeakItems, text+" (r = "+tr.Num(*it.RDrop, 2)+")")
				}
			}
			out = append(out, row)
		}
	}
	return out
}

type correctionView struct {
	Points, Total string
	Capped        bool
	Items         []correctionItem
}

type correctionItem struct{ Kind, Points, Reason, Evidence string }

// correctionOf shows the correction factor applied and its evidence.
func correctionOf(tr translator, c analysis.CorrectionSummary) correctionView {
	v := correctionView{Points: tr.Num(c.Points, 2), Total: tr.Num(c.Total, 2), Capped: c.Capped}
	for _, it := range c.Items {
		v.Items = append(v.Items, correctionItem{Kind: tr.T("dash.correction.kind." + it.Kind), Points: tr.Num(it.Points, 2),
			Reason: it.Reason, Evidence: it.Evidence})
	}
	return v
}

type trendRow struct {
	Period, Index, CI    string
	Category             badge
	Change, ChangeCI, P  string
	Significant, HasPrev bool
	Partial              bool
}

// trendRows prints a unit's index per period and the change with its test.
func trendRows(tr translator, s analysis.Settings, tps []trendPeriod) []trendRow {
	var out []trendRow
	for _, tp := range tps {
		u := tp.Unit
		row := trendRow{Period: tp.Period.Name, Index: "—", CI: ciText(tr, u.CI), Category: category(tr, s, u.Category), Partial: u.Partial}
		if u.Index != nil {
			row.Index = tr.Num(*u.Index, 2)
		}
		if d := tp.Change; d != nil {
			row.HasPrev, row.Change = true, "—"
			if d.Diff != nil {
				sign := ""
				if *d.Diff > 0 {
					sign = "+"
				}
				row.Change = sign + tr.Num(*d.Diff, 2)
				row.ChangeCI = ciText(tr, d.CI)
			}
			if d.P != nil {
				row.P = tr.Num(*d.P, 3)
				row.Significant = *d.P < 0.05
			}
		}
		out = append(out, row)
	}
	return out
}
