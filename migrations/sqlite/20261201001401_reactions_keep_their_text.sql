-- A member's reaction to a recommendation keeps the text it was given for: it is shown
-- and counted only while the recommendation still says that (and moves with the text
-- when the coordinator reorders the draft).
ALTER TABLE reviews ADD COLUMN body TEXT NOT NULL DEFAULT '';
UPDATE reviews SET body = COALESCE(
    (SELECT r.body FROM recommendations r WHERE r.id = reviews.recommendation_id), '');
