CREATE TABLE "direct_rooms" (
	"room_id" text PRIMARY KEY NOT NULL,
	"user_low" uuid NOT NULL,
	"user_high" uuid NOT NULL,
	CONSTRAINT "direct_rooms_pair" UNIQUE("user_low","user_high"),
	CONSTRAINT "direct_rooms_sorted_pair" CHECK ("direct_rooms"."user_low" < "direct_rooms"."user_high")
);
--> statement-breakpoint
ALTER TABLE "direct_rooms" ADD CONSTRAINT "direct_rooms_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "direct_rooms" ADD CONSTRAINT "direct_rooms_user_low_users_id_fk" FOREIGN KEY ("user_low") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "direct_rooms" ADD CONSTRAINT "direct_rooms_user_high_users_id_fk" FOREIGN KEY ("user_high") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;