-- A user's language for the portal and their security mail (one of the supported locale tags,
-- e.g. 'de'); NULL: the browser's choice, then KEYWARD_DEFAULT_LOCALE.
ALTER TABLE users ADD COLUMN locale TEXT;
