-- wrk script: a flood of sign-ins with the right password (each costs one
-- argon2id verification on the server).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench@example.test","password":"bench password 123"}'
