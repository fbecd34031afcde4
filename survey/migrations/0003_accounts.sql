-- Accounts and operations, version 3.

-- Closing a period freezes its answers (spi-method.md §1): no response or
-- free-text answer of a closed period can be added, changed or removed, by
-- any path. The application refuses first with a clear message; these
-- triggers make the rule hold even for a path that forgets.
CREATE TRIGGER responses_frozen_insert BEFORE INSERT ON responses
WHEN (SELECT status FROM periods WHERE id = NEW.period_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'period is closed: answers are frozen'); END;
CREATE TRIGGER responses_frozen_update BEFORE UPDATE ON responses
WHEN (SELECT status FROM periods WHERE id = OLD.period_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'period is closed: answers are frozen'); END;
CREATE TRIGGER responses_frozen_delete BEFORE DELETE ON responses
WHEN (SELECT status FROM periods WHERE id = OLD.period_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'period is closed: answers are frozen'); END;
CREATE TRIGGER text_answers_frozen_insert BEFORE INSERT ON text_answers
WHEN (SELECT p.status FROM responses r JOIN periods p ON p.id = r.period_id WHERE r.id = NEW.response_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'period is closed: answers are frozen'); END;
CREATE TRIGGER text_answers_frozen_update BEFORE UPDATE ON text_answers
WHEN (SELECT p.status FROM responses r JOIN periods p ON p.id = r.period_id WHERE r.id = OLD.response_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'period is closed: answers are frozen'); END;
CREATE TRIGGER text_answers_frozen_delete BEFORE DELETE ON text_answers
WHEN (SELECT p.status FROM responses r JOIN periods p ON p.id = r.period_id WHERE r.id = OLD.response_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'period is closed: answers are frozen'); END;

-- Ending all sessions of a user (disable, password reset) and listing tokens.
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX audit_log_action ON audit_log(action);
