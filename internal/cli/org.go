package cli

import (
	"context"

	"integritas/config"
	"integritas/survey"
)

// orgSettings returns the stored organisation settings as they apply to
// this command: openStore already applied them to cfg, where a flag or
// environment variable wins, so cfg's base URL and name are the ones to use
// (the server's Server.org does the same).
func orgSettings(ctx context.Context, st *survey.Store, cfg *config.Config) (survey.OrgSettings, error) {
	org, err := st.OrgSettings(ctx)
	if err != nil {
		return survey.OrgSettings{}, err
	}
	org.BaseURL, org.Inspectorate = cfg.BaseURL, cfg.Inspectorate
	return org, nil
}
