package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// apiSubmission is the body of POST /api/v1/responses: a token for an
// invitation, or period + unit (+ type "external") for an open link.
// Values are as in the response CSV format: "1".."k", "yes"/"no", "dk", text.
type apiSubmission struct {
	Token    string                     `json:"token"`
	Period   string                     `json:"period"`
	Unit     string                     `json:"unit"`
	Type     string                     `json:"type"`
	Answers  map[string]json.RawMessage `json:"answers"` // each a string; checked one by one to name the item
	Duration *int                       `json:"duration_seconds"`
	Lang     string                     `json:"lang"`
	Form     string                     `json:"form"` // open links: the signed form of GET /api/v1/forms/:period/:unit
}

// apiProblem is one entry of the machine-readable problem list.
type apiProblem struct {
	Item    string `json:"item"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// apiResponses stores one response: 201 when stored; 400 for a body that is
// not exactly one well-typed object; 404 unknown token, period or unit; 409
// token already used or period closed; 413 too large; 422 invalid answers;
// 429 too many open-link submissions from one address. Every refusal lists
// its problems.
func (s *Server) apiResponses(c *gin.Context) {
	tr := s.tr(c)
	var req apiSubmission
	if probs, err := decodeStrict(c.Request.Body, &req); err != nil {
		s.apiFail(c, tr, err, probs)
		return
	}
	answers, probs := answerStrings(req.Answers)
	if len(probs) > 0 {
		s.apiFail(c, tr, errInvalidJSON, probs)
		return
	}
	if req.Lang != "" {
		if req.Lang != "id" && req.Lang != "en" {
			s.apiFail(c, tr, errBadRequest, []survey.Problem{{Item: "lang", Code: "invalid_lang", Value: req.Lang}})
			return
		}
		tr = s.bundle.For(req.Lang)
	}
	dur := -1
	if req.Duration != nil {
		if *req.Duration < 0 || *req.Duration > 604800 {
			s.apiFail(c, tr, errBadRequest, []survey.Problem{{Item: "duration_seconds", Code: "invalid_duration", Value: strconv.Itoa(*req.Duration)}})
			return
		}
		dur = *req.Duration
	}
	sub := &survey.Submission{Response: survey.NewResponse{Duration: dur, Lang: tr.Lang()}}
	r := &sub.Response
	var inst *survey.Instrument
	var openP *survey.Period // an open link's period and unit
	var openU survey.Unit
	switch {
	case req.Token != "" && (req.Period != "" || req.Unit != "" || req.Type != "" || req.Form != ""):
		s.apiFail(c, tr, errBadRequest, []survey.Problem{{Item: "token", Code: "token_or_link"}})
		return
	case req.Token != "":
		inv, e, err := s.invitationByToken(c, req.Token)
		if err != nil {
			s.apiFail(c, tr, err, nil)
			return
		}
		sub.TokenHash, _ = survey.TokenHash(req.Token)
		r.PeriodID, r.UnitID, r.Type, r.Channel, inst = e.p.ID, inv.UnitID, inv.Type, survey.ChannelInvitation, e.p.Instrument
	case req.Period == "" || req.Unit == "":
		s.apiFail(c, tr, errBadRequest, []survey.Problem{{Item: "token", Code: "token_or_link"}})
		return
	default:
		if ok, wait := s.resp.limiter.allow(c.ClientIP(), s.now()); !ok {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			s.apiFail(c, tr, errRateLimited, nil)
			return
		}
		if req.Type != "" && req.Type != survey.External {
			s.apiFail(c, tr, errBadRequest, []survey.Problem{{Item: "type", Code: "type_not_open", Value: req.Type}})
			return
		}
		e, err := s.respondPeriod(c.Request.Context(), req.Period)
		var u survey.Unit
		if err == nil {
			u, err = e.unit(req.Unit)
		}
		if err == nil {
			err = s.accepting(e.p)
		}
		if err != nil {
			s.apiFail(c, tr, err, nil)
			return
		}
		r.PeriodID, r.UnitID, r.Type, r.Channel, inst = e.p.ID, u.ID, survey.External, survey.ChannelOpen, e.p.Instrument
		openP, openU = e.p, u
	}
	a, probs := inst.ParseAnswers(r.Type, answers)
	if len(probs) > 0 {
		s.apiFail(c, tr, errInvalidAnswers, probs)
		return
	}
	r.Answers = a
	if openP != nil {
		s.apiOpenSubmit(c, tr, sub, openP, openU, req.Form)
		return
	}
	if err := s.committer.Submit(c.Request.Context(), sub); err != nil {
		s.apiFail(c, tr, submitErr(err), nil)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"status": "stored", "answered": a.Answered()})
}

// invitationByToken is the API's view of an invitation: unknown 404, used
// 409 (survey.ErrUsed), period not accepting 409.
func (s *Server) invitationByToken(c *gin.Context, token string) (*survey.Invitation, *periodEntry, error) {
	inv, err := s.resp.finder.ByToken(c.Request.Context(), token)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, nil, fmt.Errorf("%w: %w", errLinkUnknown, err)
	}
	if err != nil {
		return nil, nil, err
	}
	if inv.Used {
		return nil, nil, survey.ErrUsed
	}
	e, err := s.respondPeriodByID(c.Request.Context(), inv.PeriodID)
	if err != nil {
		return nil, nil, err
	}
	return inv, e, s.accepting(e.p)
}

// apiFail answers {"error": {code, message}, "problems": [...]} with the
// status the one error map gives.
func (s *Server) apiFail(c *gin.Context, tr translator, err error, probs []survey.Problem) {
	code, key := s.failStatus(c, err)
	list := make([]apiProblem, 0, len(probs))
	for _, p := range probs {
		list = append(list, apiProblem{Item: p.Item, Code: p.Code, Message: problemMessage(tr, p)})
	}
	c.AbortWithStatusJSON(code, gin.H{
		"error":    gin.H{"code": strings.TrimPrefix(key, "error."), "message": tr.T(key + ".body")},
		"problems": list,
	})
}

// answerStrings takes the answers that are JSON strings and names every
// item whose value is another type (numbers, lists, null).
func answerStrings(raw map[string]json.RawMessage) (map[string]string, []survey.Problem) {
	out := make(map[string]string, len(raw))
	var probs []survey.Problem
	for code, v := range raw {
		var s string
		if len(v) == 0 || v[0] != '"' || json.Unmarshal(v, &s) != nil {
			probs = append(probs, survey.Problem{Item: code, Code: "wrong_type"})
			continue
		}
		out[code] = s
	}
	sort.Slice(probs, func(i, j int) bool { return probs[i].Item < probs[j].Item })
	return out, probs
}

// decodeStrict reads exactly one JSON object into v: unknown fields, wrong
// types, and anything after the object are refused, each as a problem.
func decodeStrict(body io.Reader, v any) ([]survey.Problem, error) {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			var mbe *http.MaxBytesError
			if errors.As(terr, &mbe) {
				return nil, terr
			}
			return []survey.Problem{{Code: "trailing_data"}}, errInvalidJSON
		}
		return nil, nil
	}
	var (
		mbe    *http.MaxBytesError
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return nil, err
	case errors.Is(err, io.EOF):
		return []survey.Problem{{Code: "empty_body"}}, errInvalidJSON
	case errors.As(err, &typ):
		return []survey.Problem{{Item: typ.Field, Code: "wrong_type", Value: typ.Value}}, errInvalidJSON
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return []survey.Problem{{Item: field, Code: "unknown_field"}}, errInvalidJSON
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return []survey.Problem{{Code: "syntax"}}, errInvalidJSON
	}
	return []survey.Problem{{Code: "syntax"}}, errInvalidJSON
}
