package packet

import (
	"bytes"
	"fmt"

	"integritas/analysis"
	"integritas/charts"
	"integritas/locale"
)

// chartFile is one chart as PNG, named inside the ZIP and the PDF.
type chartFile struct {
	name  string
	title string
	png   []byte
	w, h  int // pixels
	marks []charts.Mark
}

// chartText fills the text every chart shares.
func chartText(tr locale.Translator, title string, s *Source) charts.Text {
	cats := map[string]string{}
	for _, b := range s.Current.Results.Settings.Categories.Bands {
		cats[b.Slug] = b.Label.ID
		if tr.Lang() == "en" && b.Label.EN != "" {
			cats[b.Slug] = b.Label.EN
		}
	}
	return charts.Text{Title: title, Period: tr.T("packet.chart.period"), Suppressed: tr.T("packet.chart.suppressed"), Categories: cats,
		Counted: tr.T("outputs.chart.counted")}
}

func chartFormat(tr locale.Translator) charts.Format {
	if tr.Lang() == "id" {
		return charts.Format{Decimal: ',', Group: '.'}
	}
	return charts.Format{Decimal: '.', Group: ','}
}

// charts draws the unit's profile and score distribution per respondent
// type present, and its trend over periods.
func (s *Source) charts(r *report) ([]chartFile, error) {
	tr, u := r.t, r.unit
	common := charts.Common{Format: chartFormat(tr), Layout: charts.Layout{Width: 640}, Cache: s.chartCache}
	names := map[string]string{}
	var order []string // the instrument's, as on the dashboard; charts sort codes otherwise
	for _, e := range s.Current.Period.Instrument.Elements {
		names[e.Code] = e.Name.In(tr.Lang())
		order = append(order, e.Code)
	}
	var out []chartFile
	add := func(name, title string, c *charts.Chart, err error) error {
		if err != nil {
			return fmt.Errorf("packet: chart %s of %s: %w", name, u.Code, err)
		}
		buf := getBuffer()
		defer putBuffer(buf)
		if err := c.PNG(buf); err != nil {
			return fmt.Errorf("packet: chart %s of %s: %w", name, u.Code, err)
		}
		w, h := c.Pixels()
		// One allocation of the PNG's size; a fresh buffer grew to it by doubling.
		out = append(out, chartFile{name: name + ".png", title: title, png: bytes.Clone(buf.Bytes()), w: w, h: h, marks: c.Marks()})
		return nil
	}
	res := s.Current.Results
	for _, typ := range analysis.Types() {
		if u.Components[typ] == nil {
			continue
		}
		typeName := tr.T("packet.type." + typ)
		title := tr.T("packet.chart.profile.title", "Type", typeName)
		c, err := charts.Profile(res, charts.ProfileOptions{Common: common, Unit: u.Code, Type: typ, Elements: order, Text: charts.ProfileText{
			Text: chartText(tr, title, s), Type: typeName, City: tr.T("packet.chart.city"), Axis: tr.T("packet.chart.score_axis"),
			CI: tr.T("packet.chart.ci"), Elements: names}})
		if err := add(tr.T("packet.file.profile", "Type", typ), title, c, err); err != nil {
			return nil, err
		}
		title = tr.T("packet.chart.distribution.title", "Type", typeName)
		c, err = charts.Distribution(res, charts.DistributionOptions{Common: common, Unit: u.Code, Type: typ, Text: charts.DistributionText{
			Text: chartText(tr, title, s), Type: typeName, Axis: tr.T("packet.chart.distribution.axis"), Count: tr.T("packet.chart.distribution.count"),
			Mean: tr.T("packet.chart.distribution.mean")}})
		if err := add(tr.T("packet.file.distribution", "Type", typ), title, c, err); err != nil {
			return nil, err
		}
	}
	var pts []charts.TrendPoint
	for _, h := range s.history(u.Code) {
		pts = append(pts, charts.TrendPoint{Period: h.period, Unit: h.unit, City: h.city})
	}
	title := tr.T("packet.chart.trend.title")
	c, err := charts.Trend(pts, charts.TrendOptions{Common: common, Unit: u.Name, Settings: res.Settings, Text: charts.TrendText{
		Text: chartText(tr, title, s), Axis: tr.T("packet.chart.trend.axis"), Periods: tr.T("packet.chart.trend.periods"),
		City: tr.T("packet.chart.trend.city"), CI: tr.T("packet.chart.ci"), Partial: tr.T("packet.chart.trend.partial")}})
	if err := add(tr.T("packet.file.trend"), title, c, err); err != nil {
		return nil, err
	}
	return out, nil
}
