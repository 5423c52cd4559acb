CREATE TABLE "room_activity" (
	"room_id" text PRIMARY KEY NOT NULL,
	"online" bigint DEFAULT 0 NOT NULL,
	"latest_seq" bigint DEFAULT 0 NOT NULL,
	"latest_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "room_activity" ADD CONSTRAINT "room_activity_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "room_activity_latest_at_idx" ON "room_activity" USING btree ("latest_at");