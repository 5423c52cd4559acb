-- Records every direct room made before direct_rooms existed with its pair, so "Message"
-- finds the old room (and its history) again. The pair is the room's two members; a room
-- that lost one (an account was deleted) has no pair left to find it by.
INSERT INTO "direct_rooms" ("room_id", "user_low", "user_high")
SELECT r."id", (array_agg(m."user_id" ORDER BY m."user_id"))[1], (array_agg(m."user_id" ORDER BY m."user_id"))[2]
FROM "rooms" r
JOIN "room_members" m ON m."room_id" = r."id"
WHERE r."visibility" = 'direct'
GROUP BY r."id"
HAVING count(*) = 2
ON CONFLICT DO NOTHING;
