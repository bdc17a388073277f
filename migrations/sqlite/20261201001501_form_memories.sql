-- What a form sent without JavaScript brings back to its page, once: the values typed
-- into a form the server refused (never passwords or codes), or the answer of one it
-- accepted. Found by the SHA-256 of a token held in a short-lived cookie; taken at the
-- next page view and never kept longer than 15 minutes.
CREATE TABLE form_memories (
    token_hash TEXT PRIMARY KEY,
    page TEXT NOT NULL,
    action TEXT NOT NULL,
    form TEXT NOT NULL,
    fields TEXT NOT NULL,
    output TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX form_memories_created ON form_memories (created_at);
