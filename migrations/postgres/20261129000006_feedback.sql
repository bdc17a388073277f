-- The feedback loop: the owner's answer per recommendation, reminders and escalation
-- when it is late, the infographic that tells young people what was done with their
-- advice, and their rating of it.

-- One answer per recommendation. Saved as a draft until the owner submits the feedback.
CREATE TABLE responses (
    recommendation_id BIGINT PRIMARY KEY REFERENCES recommendations (id) ON DELETE CASCADE,
    -- adopted, partly, not_adopted, still_open ('' while the draft has none).
    status TEXT NOT NULL DEFAULT '',
    -- In plain language: what was decided and why.
    explanation TEXT NOT NULL DEFAULT '',
    -- Required for partly and not adopted: why not (comply or explain).
    reason TEXT NOT NULL DEFAULT '',
    -- What changes for young people.
    changes TEXT NOT NULL DEFAULT '',
    -- Still open: the day it will be decided ('YYYY-MM-DD').
    follow_up TEXT,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);

-- The owner's message to the panel, and when the feedback was (last) submitted.
ALTER TABLE questions ADD COLUMN feedback_message TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN feedback_submitted_at BIGINT;
-- Told after the escalation days, besides the coordinators (e.g. the owner's manager).
ALTER TABLE questions ADD COLUMN escalation_email TEXT NOT NULL DEFAULT '';
-- Days after the due date that the coordinators (and the escalation address) are told.
ALTER TABLE panels ADD COLUMN escalation_days BIGINT NOT NULL DEFAULT 14;

-- Each reminder once: 'before' (7 days before), 'due' (on the day), 'week1', 'week2', ...
-- (weekly after), 'escalated'. The insert is the claim, so with several instances
-- sharing the database each goes out once.
CREATE TABLE feedback_reminders (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (question_id, kind)
);

-- The infographic: the texts as the coordinator edited them, and what was published
-- (a JSON copy of the whole infographic, so later edits do not change it unseen).
CREATE TABLE infographics (
    question_id BIGINT PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    question_line TEXT NOT NULL DEFAULT '',
    said TEXT NOT NULL DEFAULT '',
    meaning TEXT NOT NULL DEFAULT '',
    quote_input_id BIGINT REFERENCES inputs (id) ON DELETE SET NULL,
    theme TEXT NOT NULL DEFAULT 'ocean',
    published_json TEXT,
    published_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX infographics_published ON infographics (published_at);

-- "Was dit duidelijk?": once per member per question, changeable.
CREATE TABLE feedback_ratings (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    score BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);
