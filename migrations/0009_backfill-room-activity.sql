-- Every room that has messages gets its latest one recorded, so the room list orders and
-- counts it from the first deploy on; rooms push their own rows from then on. Nobody is
-- online in a room that has not pushed yet (a deploy restarts every room).
INSERT INTO "room_activity" ("room_id", "latest_seq", "latest_at")
SELECT m."room_id", max(m."seq"), max(m."created_at")
FROM "messages" m
GROUP BY m."room_id"
ON CONFLICT DO NOTHING;
