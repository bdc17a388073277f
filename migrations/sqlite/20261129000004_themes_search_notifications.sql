-- Themes set jointly (proposals and their support), unsolicited subjects, the moment
-- input closes, a word index for searching questions, and in-app notifications with
-- their e-mail (immediately or in a weekly digest).

-- "Ik steun dit": once per person per proposed theme.
CREATE TABLE theme_endorsements (
    theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (theme_id, user_id)
);

-- The last day ('YYYY-MM-DD', Amsterdam) members can give input; NULL: until the
-- coordinator closes it.
ALTER TABLE questions ADD COLUMN input_closes_on TEXT;

-- Every word of a question's texts, folded to lower case without accents; a search
-- matches words by prefix. One table on both databases, so search behaves the same.
CREATE TABLE question_terms (
    term TEXT NOT NULL,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    PRIMARY KEY (term, question_id)
);
CREATE INDEX question_terms_question ON question_terms (question_id);

-- Filters by theme and municipality.
CREATE INDEX questions_panel_theme ON questions (panel_id, theme_id, updated_at);
CREATE INDEX question_municipalities_municipality
    ON question_municipalities (municipality_id, question_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question_id BIGINT REFERENCES questions (id) ON DELETE CASCADE,
    -- What happened: question_submitted, question_accepted, question_returned,
    -- input_open, draft_ready, advice_sent, subject_proposed, subject_assigned,
    -- theme_proposed.
    kind TEXT NOT NULL,
    -- What it is about (a question's title or a theme's name), as it was then.
    subject TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    -- Set once it went out by e-mail (at once, or in a digest).
    mailed_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- When the last weekly digest went to this person.
ALTER TABLE users ADD COLUMN digest_at BIGINT;
