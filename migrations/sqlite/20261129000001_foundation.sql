-- Panels, their municipalities, accounts, sessions and the first-run setup link.
-- Times are seconds since the Unix epoch (UTC); flags are 0/1 integers, so the same SQL
-- runs on SQLite and PostgreSQL through sqlx's Any driver.

CREATE TABLE panels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (panel_id, name)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    panel_id BIGINT NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'policy_maker', 'coordinator')),
    municipality_id BIGINT REFERENCES municipalities (id) ON DELETE SET NULL,
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    last_login_at BIGINT
);
CREATE INDEX users_panel ON users (panel_id, role);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
