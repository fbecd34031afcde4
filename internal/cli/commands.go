package cli

// commands lists every command of the binary.
func commands() []command {
	return []command{
		{"serve", "serve the survey and the dashboards", cmdServe},
		{"demo", "create (once) and serve a demo city", cmdDemo},
		{"version", "print the version", cmdVersion},
		{"period create", "create a period from an instrument file", cmdPeriodCreate},
		{"period open", "open a period for answers", cmdPeriodOpen},
		{"period close", "close a period (freezes its answers)", cmdPeriodClose},
		{"period list", "list periods", cmdPeriodList},
		{"import units", "import units from CSV into a period", cmdImportUnits},
		{"import roster", "import a staff or expert roster from CSV", cmdImportRoster},
		{"import responses", "import responses (paper, other tools) from CSV", cmdImportResponses},
		{"results", "compute a period's results (JSON or CSV)", cmdResults},
		{"correction set", "set a unit's correction factor (replaces its items)", cmdCorrectionSet},
		{"import corrections", "import correction-factor items from CSV", cmdCorrectionImport},
		{"user add", "add a staff account (admin, inspector, analyst, viewer)", cmdUserAdd},
		{"user list", "list staff accounts", cmdUserList},
		{"user disable", "disable an account, ending its sessions", cmdUserDisable},
		{"user enable", "enable a disabled account", cmdUserEnable},
		{"user reset-password", "set a new password for an account", cmdUserResetPassword},
		{"token create", "create a personal API token (printed once)", cmdTokenCreate},
		{"token list", "list personal API tokens", cmdTokenList},
		{"token revoke", "revoke a personal API token", cmdTokenRevoke},
		{"backup", "back up the database while serving, and verify the copy", cmdBackup},
		{"restore", "replace the database with a verified backup (server stopped)", cmdRestore},
		{"packets", "build every unit's result packet (ZIP: PDF, XLSX, charts)", cmdPackets},
		{"sample", "draw a seeded random sample from the rosters for a target margin", cmdSample},
		{"mail send", "send the queued e-mail now", cmdMailSend},
		{"mail log", "list a period's e-mail delivery log", cmdMailLog},
		{"mail remind", "queue reminders to unused invitations with an e-mail", cmdMailRemind},
		{"export", "export results or anonymised answers as CSV or XLSX", cmdExport},
		{"invite", "create one-time invitation links and print them", cmdInvite},
		{"invitations export", "write a CSV of fresh links for the unused invitations (old links stop working)", cmdInvitationsExport},
		{"bench", "measure the real server under load on this machine (responses/s, latency, memory)", cmdBench},
	}
}
