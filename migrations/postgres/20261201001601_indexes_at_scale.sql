-- Indexes that keep pages flat at 100,000 questions.

-- A search for a common word walks the questions newest first and asks, for each one,
-- whether it has a term starting with the word: one index lookup on (question, term).
DROP INDEX question_terms_question;
CREATE INDEX question_terms_question ON question_terms (question_id, term);

-- Late answers, counted on every panel page and the coordinator's home: only the
-- questions whose answer is still awaited, not every question with advice sent.
CREATE INDEX questions_awaiting_feedback ON questions (panel_id, feedback_due)
    WHERE state = 'advice_sent' AND feedback_submitted_at IS NULL;
