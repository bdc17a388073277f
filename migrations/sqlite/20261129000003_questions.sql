-- Themes and questions (solicited and unsolicited), with their timeline, the input of
-- young people, and the panel's advice. Dates a person
-- picks (advice needed by) are ISO text 'YYYY-MM-DD'; moments are Unix seconds.

CREATE TABLE themes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('proposed', 'adopted', 'archived')),
    proposed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (panel_id, name)
);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('solicited', 'unsolicited')),
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    background TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL DEFAULT '',
    open_to_influence TEXT NOT NULL DEFAULT '',
    already_fixed TEXT NOT NULL DEFAULT '',
    decision_moment TEXT NOT NULL DEFAULT '',
    needed_by TEXT,
    participation TEXT NOT NULL DEFAULT 'advise'
        CHECK (participation IN ('inform', 'consult', 'advise', 'co_decide')),
    theme_id BIGINT REFERENCES themes (id) ON DELETE SET NULL,
    -- The policy maker who asked it or was assigned it (unsolicited: once assigned).
    owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- Who wrote it first (an unsolicited subject: the member or coordinator).
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    return_reason TEXT NOT NULL DEFAULT '',
    -- The panel's advice: a summary plus numbered recommendations (below).
    advice_summary TEXT NOT NULL DEFAULT '',
    advice_sent_at BIGINT,
    -- The date the policy maker's feedback is due ('YYYY-MM-DD'), set when advice is sent.
    feedback_due TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX questions_panel_state ON questions (panel_id, state, updated_at);
-- Lists: newest change first, walked in index order so a page stops early.
CREATE INDEX questions_panel_updated ON questions (panel_id, updated_at, id);
CREATE INDEX questions_owner ON questions (owner_id);

CREATE TABLE question_municipalities (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    PRIMARY KEY (question_id, municipality_id)
);

-- The timeline everyone involved sees.
CREATE TABLE question_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX question_events_question ON question_events (question_id, at);

-- Weeks a policy maker has to answer an advice.
ALTER TABLE panels ADD COLUMN feedback_weeks BIGINT NOT NULL DEFAULT 6;

-- What young people say about a question. `show_name` 0: policy makers see no name.
CREATE TABLE inputs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    -- 1: recorded by a coordinator for the group (e.g. from a meeting).
    for_group BIGINT NOT NULL DEFAULT 0,
    show_name BIGINT NOT NULL DEFAULT 0,
    may_quote BIGINT NOT NULL DEFAULT 0,
    hidden_reason TEXT,
    withdrawn_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX inputs_question ON inputs (question_id, created_at);

-- "Ik herken dit": once per person per input.
CREATE TABLE endorsements (
    input_id BIGINT NOT NULL REFERENCES inputs (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (input_id, user_id)
);

CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (question_id, position)
);

-- Which inputs support a recommendation.
CREATE TABLE recommendation_inputs (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    input_id BIGINT NOT NULL REFERENCES inputs (id) ON DELETE CASCADE,
    PRIMARY KEY (recommendation_id, input_id)
);

-- Members' reactions to the draft advice, per recommendation: agree or not, and a comment.
CREATE TABLE reviews (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    agrees BIGINT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL,
    PRIMARY KEY (recommendation_id, user_id)
);
