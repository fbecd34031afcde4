package server

import (
	"integritas/analysis"
	"integritas/charts"
	"integritas/survey"
)

// chartFormat writes numbers as the reader does: 74,21 and 1.234 in Indonesian.
func chartFormat(tr translator) charts.Format {
	if tr.Lang() == "en" {
		return charts.Format{Decimal: '.', Group: ','}
	}
	return charts.Format{Decimal: ',', Group: '.'}
}

// chartText is the text every chart prints, from the dashboard locale.
func chartText(tr translator, s analysis.Settings, title string) charts.Text { // title: translated
	cats := map[string]string{}
	for _, b := range s.Categories.Bands {
		cats[b.Slug] = category(tr, s, b.Slug).Label
	}
	return charts.Text{Title: title, Period: tr.T("chart.period"), Suppressed: tr.T("chart.suppressed"), Categories: cats,
		Counted: tr.T("outputs.chart.counted")}
}

// elementNames maps element codes to their names in the reader's language.
func elementNames(inst *survey.Instrument, lang string) map[string]string {
	out := map[string]string{}
	for _, e := range inst.Elements {
		out[e.Code] = e.Name.In(lang)
	}
	return out
}

func rankingText(tr translator, s analysis.Settings) charts.RankingText {
	return charts.RankingText{Text: chartText(tr, s, tr.T("chart.ranking.title")), Axis: tr.T("chart.axis.index"),
		Units: tr.T("chart.units"), Value: tr.T("chart.value.index"), CI: tr.T("chart.ci"), Partial: tr.T("chart.partial"),
		Ranked: tr.T("outputs.chart.ranked")}
}

func heatmapText(tr translator, s analysis.Settings, inst *survey.Instrument, typ string) charts.HeatmapText {
	return charts.HeatmapText{Text: chartText(tr, s, tr.T("chart.heatmap.title")), Type: tr.T("chart.type." + typ),
		Units: tr.T("chart.units"), City: tr.T("chart.city_row"), Elements: elementNames(inst, tr.Lang())}
}

func responseText(tr translator, typ string) charts.ResponseText {
	t := tr.T("chart.type.all")
	if typ != "" {
		t = tr.T("chart.type." + typ)
	}
	return charts.ResponseText{Title: tr.T("chart.response.title"), Period: tr.T("chart.period"), Type: t,
		Units: tr.T("chart.units"), Axis: tr.T("chart.axis.responses"), Received: tr.T("chart.received"), Required: tr.T("chart.required")}
}

func profileText(tr translator, s analysis.Settings, inst *survey.Instrument, typ, unit string) charts.ProfileText {
	return charts.ProfileText{Text: chartText(tr, s, tr.T("chart.profile.title", "Unit", unit)), Type: tr.T("chart.type." + typ),
		City: tr.T("chart.city"), Axis: tr.T("chart.axis.score"), CI: tr.T("chart.ci"), Elements: elementNames(inst, tr.Lang())}
}

func trendText(tr translator, s analysis.Settings, unit string) charts.TrendText {
	return charts.TrendText{Text: chartText(tr, s, tr.T("chart.trend.title", "Unit", unit)), Axis: tr.T("chart.axis.index"),
		Periods: tr.T("chart.axis.periods"), City: tr.T("chart.city_index"), CI: tr.T("chart.ci"), Partial: tr.T("chart.partial")}
}
