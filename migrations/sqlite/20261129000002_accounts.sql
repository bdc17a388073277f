-- Accounts: invitations, group agreements, password reset and e-mail change links, the
-- e-mail outbox, rate-limit attempts and the audit log. Times are Unix seconds (UTC).

ALTER TABLE panels ADD COLUMN agreements TEXT NOT NULL DEFAULT '';
ALTER TABLE panels ADD COLUMN agreements_updated_at BIGINT;
-- 1: coordinators and policy makers must use a second factor (TOTP).
ALTER TABLE panels ADD COLUMN require_totp BIGINT NOT NULL DEFAULT 0;

-- Members only: to check the 16-27 age range. Nothing about anyone's care history is kept.
ALTER TABLE users ADD COLUMN birth_year BIGINT;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'nl';
ALTER TABLE users ADD COLUMN agreements_accepted_at BIGINT;
-- A member's fixed point of contact (a coordinator of the panel).
ALTER TABLE users ADD COLUMN contact_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
-- Coordinators: how members can reach them (shown to their panel only).
ALTER TABLE users ADD COLUMN contact_info TEXT NOT NULL DEFAULT '';
-- immediately / weekly / off
ALTER TABLE users ADD COLUMN notify TEXT NOT NULL DEFAULT 'immediately';
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
-- A secret shown for enrolment, kept until the first code confirms it.
ALTER TABLE users ADD COLUMN totp_pending TEXT;

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'policy_maker', 'coordinator')),
    municipality_id BIGINT REFERENCES municipalities (id) ON DELETE SET NULL,
    invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    language TEXT NOT NULL DEFAULT 'nl',
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT,
    revoked_at BIGINT,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_panel ON invitations (panel_id, email);

-- Single-use links sent by e-mail: password reset and e-mail address confirmation.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_change')),
    new_email TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Written in the same transaction as the change that causes the mail; a worker on any
-- instance claims a row by setting locked_until (a lease) and marks it sent or dead.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    sent_at BIGINT,
    dead_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, dead_at, next_attempt_at);

-- Failed attempts per bucket (e.g. login for one address, or from one network address).
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX attempts_bucket ON attempts (bucket, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id BIGINT REFERENCES panels (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    subject_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX audit_log_panel ON audit_log (panel_id, at);

-- 1 while a session waits for its second-factor code; such a session opens nothing else.
ALTER TABLE sessions ADD COLUMN pending_second_factor BIGINT NOT NULL DEFAULT 0;
