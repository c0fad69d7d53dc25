-- Every project that existed before per-project identifier secrets gets one now:
-- 32 bytes from SQLite's randomblob (a CSPRNG seeded by the OS). Hashes stored before
-- this change were salted with the public project id and stay as they are.
UPDATE `projects` SET `hash_secret` = lower(hex(randomblob(32))) WHERE `hash_secret` IS NULL;
