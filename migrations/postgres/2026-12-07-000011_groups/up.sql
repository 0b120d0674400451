-- Groups and their own security policies. A user's effective policy is the strictest
-- combination of the global policy and the policies of all their groups (API.md, "Groups").

CREATE TABLE groups (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    -- The group's policy document (the same JSON as the global policy), or NULL: the group
    -- adds nothing to its members' policy.
    policy      TEXT,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE group_members (
    group_id    TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
-- The hot path reads a user's groups: by user first.
CREATE INDEX group_members_user ON group_members (user_id, group_id);
