package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"integritas/survey"
)

// settingsPage edits the one set of organisation settings.
type settingsPage struct {
	formPage
	Org      survey.OrgSettings
	Fields   []settingField
	Now      string // the current time in the organisation's zone, labelled
	Override []string
}

// settingField is one input of the settings form.
type settingField struct {
	Name, Value, Kind string
}

func orgFields(o survey.OrgSettings) []settingField {
	return []settingField{
		{"base_url", o.BaseURL, "url"}, {"inspectorate", o.Inspectorate, "text"}, {"letterhead", o.Letterhead, "text"},
		{"address", o.Address, "textarea"}, {"signatory", o.Signatory, "text"}, {"signatory_nip", o.SignatoryNIP, "text"},
		{"signatory_title", o.SignatoryTitle, "text"}, {"signatory_rank", o.SignatoryRank, "text"},
		{"reply_to", o.ReplyTo, "email"}, {"time_zone", o.TimeZone, "zone"}, {"lang", o.Lang, "lang"},
		{"letter_number", o.LetterNumber, "text"}, {"letter_nature", o.LetterNature, "text"}, {"letter_place", o.LetterPlace, "text"},
	}
}

// adminSettings shows the organisation settings.
func (s *Server) adminSettings(c *gin.Context) {
	o, err := s.store.OrgSettings(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderSettings(c, http.StatusOK, o, formPage{Notice: notice(c, "cycle.settings.done.", "saved")})
}

func (s *Server) renderSettings(c *gin.Context, status int, o survey.OrgSettings, f formPage) {
	var over []string
	for _, name := range []string{"base-url", "inspectorate"} {
		if s.cfg.Explicit(name) {
			over = append(over, "--"+name)
		}
	}
	s.render(c, status, "admin_settings", settingsPage{formPage: f, Org: o, Fields: orgFields(o), Now: o.FormatTime(s.now()), Override: over})
}

// adminSettingsSave validates and stores the organisation settings.
func (s *Server) adminSettingsSave(c *gin.Context) {
	get := func(k string) string { return strings.TrimSpace(c.PostForm(k)) }
	o := survey.OrgSettings{BaseURL: get("base_url"), Inspectorate: get("inspectorate"), Letterhead: get("letterhead"),
		Address: get("address"), Signatory: get("signatory"), SignatoryNIP: get("signatory_nip"), ReplyTo: get("reply_to"),
		TimeZone: get("time_zone"), Lang: get("lang"), LetterNumber: get("letter_number"), LetterNature: get("letter_nature"),
		LetterPlace: get("letter_place"), SignatoryTitle: get("signatory_title"), SignatoryRank: get("signatory_rank")}
	err := s.store.SaveOrgSettings(c.Request.Context(), o, currentUser(c).Email)
	if errors.Is(err, survey.ErrInvalidSettings) {
		s.renderSettings(c, http.StatusBadRequest, o, formPage{Error: "cycle.settings.invalid", Problems: []string{strings.TrimPrefix(err.Error(), survey.ErrInvalidSettings.Error()+": ")}})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/settings?done=saved")
}
