package server

import (
	"context"

	"integritas/survey"
)

// applyOrg fills the configuration's base URL and inspectorate name from
// the stored organisation settings (flags and environment win), exactly as
// every command does, so links and letters match.
func applyOrg(o *Options) error {
	org, err := o.Store.OrgSettings(context.Background())
	if err != nil {
		return err
	}
	o.Config.ApplyOrg(org.BaseURL, org.Inspectorate)
	return nil
}

// org returns the stored organisation settings as they apply now: a base
// URL or name given as a flag wins, and an empty stored one falls back to
// the configuration, as in ApplyOrg.
func (s *Server) org(ctx context.Context) survey.OrgSettings {
	org, err := s.store.OrgSettings(ctx)
	if err != nil {
		s.log.Error("organisation settings", "err", err)
		org = survey.DefaultOrgSettings()
	}
	if org.BaseURL == "" || s.cfg.Explicit("base-url") {
		org.BaseURL = s.cfg.BaseURL
	}
	if org.Inspectorate == "" || s.cfg.Explicit("inspectorate") {
		org.Inspectorate = s.cfg.Inspectorate
	}
	return org
}
