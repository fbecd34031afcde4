-- The inspectorate's cycle, version 9: one set of organisation settings used
-- by the server and every command, and the WhatsApp invitations opened by an
-- inspector (only that one was opened and when; never a link or a token).

CREATE TABLE org_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    settings    TEXT    NOT NULL CHECK (json_valid(settings)),
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL
);

CREATE TABLE whatsapp_sends (
    invitation_id   INTEGER PRIMARY KEY REFERENCES invitations(id) ON DELETE CASCADE,
    sent_at         TEXT    NOT NULL,
    sent_by         TEXT    NOT NULL
);
