ALTER TABLE "rooms" ADD COLUMN "topic" text;--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_topic_length" CHECK (char_length("rooms"."topic") <= 250);