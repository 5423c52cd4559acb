-- Custom SQL migration file, put your code below! ---- The one open lobby where guests and users talk. Idempotent so a re-run is harmless.
INSERT INTO "rooms" ("id", "name", "visibility") VALUES ('lobby', 'Lobby', 'lobby')
ON CONFLICT ("id") DO NOTHING;
