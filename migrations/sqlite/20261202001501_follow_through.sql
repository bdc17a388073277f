-- Follow-through: what became of each recommendation the owner adopted or partly
-- adopted. One row per dated update (planned, in progress, done, or stopped with its
-- reason); the newest row (highest id) is the recommendation's state now. Done and
-- stopped are final. Reminders when the expected date passes are claimed in
-- feedback_reminders ('progress:<recommendation>:<date>').
CREATE TABLE progress_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('planned', 'in_progress', 'done', 'stopped')),
    -- What happened; for stopped, why.
    note TEXT NOT NULL,
    -- Planned and in progress: the day it is expected to be done ('YYYY-MM-DD').
    expected_on TEXT,
    written_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- 1 when a coordinator wrote it on the owner's behalf.
    on_behalf BIGINT NOT NULL DEFAULT 0,
    at BIGINT NOT NULL
);
CREATE INDEX progress_updates_recommendation ON progress_updates (recommendation_id, id);
