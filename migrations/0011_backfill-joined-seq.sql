-- Memberships from before `joined_seq` get the room's latest message at the time they
-- joined, so a room someone never opened counts only what came after they joined.
UPDATE "room_members" rm
SET "joined_seq" = coalesce(
  (SELECT max(m."seq") FROM "messages" m WHERE m."room_id" = rm."room_id" AND m."created_at" <= rm."joined_at"),
  0
);
