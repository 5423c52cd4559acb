-- Custom SQL migration file, put your code below! ---- The built-in public room every new user lands in. Idempotent so a re-run is harmless.
INSERT INTO "rooms" ("id", "name", "visibility") VALUES ('general', 'general', 'public')
ON CONFLICT ("id") DO NOTHING;
