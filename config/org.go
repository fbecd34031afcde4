package config

import (
	"flag"
	"strings"
)

// noteExplicit records which settings the operator gave on the command
// line or in the environment: those override the organisation settings
// stored in the database (ApplyOrg).
func (c *Config) noteExplicit(fs *flag.FlagSet, getenv func(string) string) {
	c.explicit = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { c.explicit[f.Name] = true })
	if getenv == nil {
		return
	}
	for _, name := range []string{"base-url", "inspectorate"} {
		env := "INTEGRITAS_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if getenv(env) != "" || getenv(env+"_FILE") != "" {
			c.explicit[name] = true
		}
	}
}

// MarkExplicit is noteExplicit for callers that parse their own flag set
// (every command does, through the cli's parse).
func (c *Config) MarkExplicit(fs *flag.FlagSet, getenv func(string) string) {
	c.noteExplicit(fs, getenv)
}

// ApplyOrg fills the base URL and the inspectorate's name from the stored
// organisation settings unless the operator set them explicitly, so the
// server and every command build the same links and letters. Empty stored
// values change nothing.
func (c *Config) ApplyOrg(baseURL, inspectorate string) {
	if baseURL = strings.TrimRight(strings.TrimSpace(baseURL), "/"); baseURL != "" && !c.explicit["base-url"] {
		c.BaseURL = baseURL
	}
	if inspectorate = strings.TrimSpace(inspectorate); inspectorate != "" && !c.explicit["inspectorate"] {
		c.Inspectorate = inspectorate
	}
}

// Explicit reports whether the operator set the named flag (or its
// environment variable).
func (c Config) Explicit(name string) bool { return c.explicit[name] }
