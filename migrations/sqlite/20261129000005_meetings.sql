-- Panel meetings: a series (every N weeks on a weekday), the single meetings it makes
-- (each can be moved or cancelled, and meetings can be added outside a series), the
-- agenda with guests, who is coming, who came, and personal calendar feeds.

CREATE TABLE meeting_series (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    every_weeks BIGINT NOT NULL,
    -- 1 = Monday ... 7 = Sunday; times are Amsterdam clock times ('HH:MM').
    weekday BIGINT NOT NULL,
    starts_time TEXT NOT NULL,
    ends_time TEXT NOT NULL,
    first_date TEXT NOT NULL,
    until_date TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    series_id BIGINT REFERENCES meeting_series (id) ON DELETE SET NULL,
    -- Moments in seconds since 1970 (UTC); shown in Amsterdam time.
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',
    cancelled_at BIGINT,
    cancel_reason TEXT NOT NULL DEFAULT '',
    -- Raised by every change people should hear of (the SEQUENCE of its iCalendar event).
    sequence BIGINT NOT NULL DEFAULT 0,
    -- Set once the reminder two days before has been sent (claimed by one instance).
    reminded_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_panel_start ON meetings (panel_id, starts_at);
CREATE INDEX meetings_due_reminder ON meetings (reminded_at, starts_at);

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    question_id BIGINT REFERENCES questions (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);
CREATE INDEX agenda_items_question ON agenda_items (question_id);

-- Policy makers invited for an agenda item about their question.
CREATE TABLE meeting_guests (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    agenda_item_id BIGINT REFERENCES agenda_items (id) ON DELETE SET NULL,
    invited_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_guests_user ON meeting_guests (user_id);

-- yes / no / maybe, and after the meeting whether the person came.
CREATE TABLE meeting_rsvps (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    answer TEXT CHECK (answer IN ('yes', 'no', 'maybe')),
    answered_at BIGINT,
    attended BIGINT,
    PRIMARY KEY (meeting_id, user_id)
);

-- A personal calendar feed: only the SHA-256 of the secret in its URL is kept.
CREATE TABLE calendar_tokens (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- An iCalendar object sent with the mail as an attachment (meeting invitations).
ALTER TABLE outbox ADD COLUMN calendar TEXT;

-- Minutes: written per agenda item by the coordinator, open for members' comments as a
-- draft until a chosen moment, then published.
ALTER TABLE meetings ADD COLUMN minutes_state TEXT NOT NULL DEFAULT 'none'
    CHECK (minutes_state IN ('none', 'draft', 'published'));
ALTER TABLE meetings ADD COLUMN minutes_comments_until BIGINT;
ALTER TABLE meetings ADD COLUMN minutes_published_at BIGINT;
ALTER TABLE agenda_items ADD COLUMN minutes TEXT NOT NULL DEFAULT '';

CREATE TABLE minutes_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX minutes_comments_meeting ON minutes_comments (meeting_id, created_at);

-- Compensation: members are paid per hour attended at the panel's rate (in cents, as
-- gift-card value), plus travel costs they claim per meeting and a coordinator approves.
ALTER TABLE panels ADD COLUMN hourly_rate_cents BIGINT NOT NULL DEFAULT 1000;

CREATE TABLE travel_claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    description TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'submitted'
        CHECK (status IN ('submitted', 'approved', 'rejected')),
    decided_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    decided_at BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (meeting_id, user_id)
);
CREATE INDEX travel_claims_status ON travel_claims (status, meeting_id);
