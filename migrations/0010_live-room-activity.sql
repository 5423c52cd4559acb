ALTER TABLE "room_members" ADD COLUMN "joined_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "online" boolean DEFAULT false NOT NULL;