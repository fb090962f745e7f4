-- 0001_init down: drops everything 0001_init.up.sql created, children first
-- so no foreign key is ever left dangling.
DROP TABLE server_secrets;
DROP TABLE signing_keys;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE users;
