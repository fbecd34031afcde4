package server

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"

	"integritas/survey"
)

// formKey names one questionnaire skeleton.
type formKey struct {
	inst      *survey.Instrument
	typ, lang string
	open      bool // open link (no saving, device cookie notice)
}

// formSkeleton is the questionnaire of one instrument for one respondent
// type in one language, rendered once by the "survey-item" template: every
// choice question in every checked state. A request then only picks
// fragments, and renders live just the questions that carry a problem
// message or free text. Escaping stays html/template's.
type formSkeleton struct {
	title         string
	typeLabel     string
	progressLabel string
	intro         template.HTML // purpose, anonymity and the flow's notice
	actions       template.HTML // the send (and save) buttons
	parts         []formPart
	total         int             // questions, for the progress indicator
	codes         map[string]bool // the questions' codes
	fresh         pageCache       // the whole page without answers (respond_cache.go)
}

// formPart is either static markup (a section's start or end) or a question.
type formPart struct {
	static   string
	q        *question
	variants []string // [0] nothing checked (empty text), [i] option i-1 checked
}

// question is what the "survey-item" template draws.
type question struct {
	Code     string
	Num      int
	Text     string
	Required bool
	IsText   bool
	Options  []option
	Value    string // free text, or the raw value of a choice
	Problem  string // message shown beside the question
	ReqLabel string
	DKValue  string
}

type option struct {
	Value, Label string
	Checked      bool
}

// skeletonEntry builds its skeleton once: the first requests after a
// start arrive together, and each building its own copy cost more than
// all the pages served in the next seconds.
type skeletonEntry struct {
	once sync.Once
	sk   *formSkeleton
	err  error
}

// skeleton returns the cached skeleton, building it on first use.
func (s *Server) skeleton(inst *survey.Instrument, typ string, open bool, tr translator) (*formSkeleton, error) {
	key := formKey{inst, typ, tr.Lang(), open}
	v, ok := s.resp.forms.Load(key)
	if !ok {
		v, _ = s.resp.forms.LoadOrStore(key, &skeletonEntry{})
	}
	e := v.(*skeletonEntry)
	e.once.Do(func() { e.sk, e.err = s.buildSkeleton(inst, typ, open, tr) })
	if e.err != nil {
		s.resp.forms.CompareAndDelete(key, e) // a later request tries again
		return nil, e.err
	}
	return e.sk, nil
}

func (s *Server) buildSkeleton(inst *survey.Instrument, typ string, open bool, tr translator) (*formSkeleton, error) {
	lang := tr.Lang()
	sk := &formSkeleton{title: inst.Title.In(lang), typeLabel: tr.T("respondent.type." + typ), progressLabel: tr.T("respondent.progress")}
	t := s.pages["survey"]
	var buf bytes.Buffer
	exec := func(name string, data any) (string, error) {
		buf.Reset()
		if err := t.ExecuteTemplate(&buf, name, data); err != nil {
			return "", fmt.Errorf("server: questionnaire %s: %w", name, err)
		}
		return buf.String(), nil
	}
	flow := struct {
		translator
		Intro             string
		OpenLink, CanSave bool
	}{tr, inst.Intro.In(lang), open, !open}
	intro, err := exec("survey-intro", flow)
	if err != nil {
		return nil, err
	}
	actions, err := exec("survey-actions", flow)
	if err != nil {
		return nil, err
	}
	sk.intro, sk.actions = template.HTML(intro), template.HTML(actions)
	type section struct {
		Code, Name, Of string
		qs             []*question
	}
	var sections []*section
	for _, el := range inst.Elements {
		sec := &section{Code: el.Code, Name: el.Name.In(lang)}
		for _, it := range inst.Items {
			if it.Element == el.Code && it.For(typ) {
				sk.total++
				sec.qs = append(sec.qs, newQuestion(it, sk.total, lang, tr))
			}
		}
		if len(sec.qs) > 0 {
			sections = append(sections, sec)
		}
	}
	if st := inst.Strata; st.For(typ) {
		sk.total++
		q := &question{Code: st.Code, Num: sk.total, Text: st.Text.In(lang)}
		for _, o := range st.Options {
			q.Options = append(q.Options, option{Value: o.Code, Label: o.Label.In(lang)})
		}
		sections = append(sections, &section{Code: st.Code, Name: tr.T("respondent.about_you"), qs: []*question{q}})
	}
	for i, sec := range sections {
		sec.Of = tr.T("respondent.section", "N", i+1, "Of", len(sections))
		start, err := exec("survey-section", sec)
		if err != nil {
			return nil, err
		}
		sk.parts = append(sk.parts, formPart{static: start})
		for _, q := range sec.qs {
			p := formPart{q: q}
			if q.IsText {
				html, err := exec("survey-item", q.with("", 0))
				if err != nil {
					return nil, err
				}
				p.variants = []string{html}
			} else {
				for v := 0; v <= len(q.Options); v++ {
					html, err := exec("survey-item", q.with("", v))
					if err != nil {
						return nil, err
					}
					p.variants = append(p.variants, html)
				}
			}
			sk.parts = append(sk.parts, p)
		}
		sk.parts = append(sk.parts, formPart{static: "</section>\n"})
	}
	sk.codes = map[string]bool{}
	for _, p := range sk.parts {
		if p.q != nil {
			sk.codes[p.q.Code] = true
		}
	}
	return sk, nil
}

func newQuestion(it survey.Item, num int, lang string, tr translator) *question {
	q := &question{Code: it.Code, Num: num, Text: it.Text.In(lang), Required: it.Required,
		IsText: it.Scale.Kind == survey.KindText, ReqLabel: tr.T("respondent.required")}
	switch it.Scale.Kind {
	case survey.KindOrdinal:
		for i, l := range it.Scale.Labels.In(lang) {
			q.Options = append(q.Options, option{Value: strconv.Itoa(i + 1), Label: l})
		}
	case survey.KindExperience:
		q.Options = []option{{Value: "yes", Label: tr.T("respondent.yes")}, {Value: "no", Label: tr.T("respondent.no")}}
	}
	if it.DontKnow {
		q.Options = append(q.Options, option{Value: "dk", Label: tr.T("respondent.dont_know")})
	}
	return q
}

// with is a copy of the question with option v-1 checked (0: none) and a
// problem message.
func (q *question) with(problem string, v int) *question {
	c := *q
	c.Problem = problem
	c.Options = make([]option, len(q.Options))
	copy(c.Options, q.Options)
	if v > 0 {
		c.Options[v-1].Checked = true
	}
	return &c
}

// choice is the position (1-based) of a raw value among the options, 0 when
// none matches. Values compare as ParseValue reads them.
func (q *question) choice(raw string) int {
	raw = strings.TrimSpace(raw)
	switch strings.ToLower(raw) {
	case "ya":
		raw = "yes"
	case "tidak":
		raw = "no"
	}
	for i, o := range q.Options {
		if strings.EqualFold(o.Value, raw) {
			return i + 1
		}
	}
	return 0
}

// renderForm returns the form for a request as pieces to write in order —
// the cached fragments themselves, so an unchanged question costs nothing —
// with the respondent's answers checked and problems beside their
// questions; also the pieces' length and how many questions hold an answer.
func (s *Server) renderForm(sk *formSkeleton, answers, problems map[string]string) (pieces []string, size, answered int, err error) {
	pieces = make([]string, 0, len(sk.parts))
	t := s.pages["survey"]
	live := func(q *question) error {
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, "survey-item", q); err != nil {
			return fmt.Errorf("server: questionnaire item: %w", err)
		}
		pieces = append(pieces, b.String())
		return nil
	}
	for _, p := range sk.parts {
		switch {
		case p.q == nil:
			pieces = append(pieces, p.static)
		case p.q.IsText:
			raw, prob := answers[p.q.Code], problems[p.q.Code]
			if strings.TrimSpace(raw) != "" {
				answered++
			}
			if raw == "" && prob == "" {
				pieces = append(pieces, p.variants[0])
				break
			}
			q := p.q.with(prob, 0)
			q.Value = raw
			if err := live(q); err != nil {
				return nil, 0, 0, err
			}
		default:
			v := p.q.choice(answers[p.q.Code])
			if v > 0 {
				answered++
			}
			if prob := problems[p.q.Code]; prob != "" {
				if err := live(p.q.with(prob, v)); err != nil {
					return nil, 0, 0, err
				}
				break
			}
			pieces = append(pieces, p.variants[v])
		}
	}
	for _, x := range pieces {
		size += len(x)
	}
	return pieces, size, answered, nil
}
