// The single source of the Postgres data model. `npm run db:generate` turns changes here
// into SQL migrations under migrations/ (never edited by hand).
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    /** Stored folded to lower case; the check keeps every writer honest. */
    username: text("username").notNull().unique(),
    /**
     * What the username looks like (worker/protocol/display-names.ts `nameSkeleton`, which
     * for `a-z 0-9 _` is this expression): guests' names are refused when their skeleton
     * matches one here. Generated, so every row has it without a backfill or a writer.
     */
    usernameSkeleton: text("username_skeleton")
      .notNull()
      .generatedAlwaysAs(sql`replace(replace(translate(username, '01i', 'oll'), 'rn', 'm'), 'vv', 'w')`),
    /** Self-describing argon2id string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
    passwordHash: text("password_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    /** When the user's last app socket closed (their UserHub writes it). */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    /**
     * Whether any app tab of theirs is connected (their UserHub writes it on each change, after
     * the offline grace): rooms push live counts only to members who are online.
     */
    online: boolean("online").notNull().default(false),
  },
  (t) => [
    check("users_username_format", sql`${t.username} ~ '^[a-z0-9_]{3,32}$'`),
    index("users_username_skeleton_idx").on(t.usernameSkeleton),
  ],
);

/** `direct` rooms are the 1:1 conversations between two friends: private, two members, no owner. */
export const roomVisibilities = ["public", "private", "lobby", "direct"] as const;
export type RoomVisibility = (typeof roomVisibilities)[number];

export const rooms = pgTable(
  "rooms",
  {
    /** Short URL-safe id; fixed names for the built-in rooms (`general`). */
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    visibility: text("visibility", { enum: roomVisibilities }).notNull(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
    passwordHash: text("password_hash"),
    /** What the room is about, set by its owner: one line, at most ROOM_TOPIC_MAX_LENGTH; null when unset. */
    topic: text("topic"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("rooms_visibility", sql`${t.visibility} in ('public', 'private', 'lobby', 'direct')`),
    // The route refuses longer topics with a clear 400; this keeps every other writer honest.
    check("rooms_topic_length", sql`char_length(${t.topic}) <= 250`),
    index("rooms_visibility_idx").on(t.visibility),
  ],
);

export const roomMembers = pgTable(
  "room_members",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["owner", "member"] })
      .notNull()
      .default("member"),
    /** Receipt high-water marks: they only ever move forward. */
    deliveredSeq: bigint("delivered_seq", { mode: "number" }).notNull().default(0),
    readSeq: bigint("read_seq", { mode: "number" }).notNull().default(0),
    /** The room's latest seq when they joined: a room they never opened is unread from here. */
    joinedSeq: bigint("joined_seq", { mode: "number" }).notNull().default(0),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index("room_members_user_idx").on(t.userId)],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey(),
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    /** Assigned by the room's Durable Object: 1, 2, 3 … per room, no gaps. */
    seq: bigint("seq", { mode: "number" }).notNull(),
    // The author is denormalised (id, name, guest flag) rather than a foreign key: guests
    // have no users row, and a message must show who wrote it even after that changes.
    authorId: text("author_id").notNull(),
    authorName: text("author_name").notNull(),
    authorGuest: boolean("author_guest").notNull().default(false),
    body: text("body").notNull(),
    clientId: text("client_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  // (room_id, seq) is both the history index and what makes flushes idempotent.
  (t) => [unique("messages_room_seq").on(t.roomId, t.seq)],
);

/**
 * Which direct room belongs to which pair of people. The room's id is random (it must not
 * be derivable from the two user ids: that would tell anyone who talks to whom), so the
 * pair is looked up here; the unique pair makes "Message" find or create one room, once.
 */
/**
 * What each room pushes about itself for the room list (worker/room/activity-push.ts), so
 * the list is one query and never calls the rooms: who is there, and its latest message.
 * `online` counts only while `updated_at` is recent (a room pushes while anyone is there).
 */
export const roomActivity = pgTable(
  "room_activity",
  {
    roomId: text("room_id")
      .primaryKey()
      .references(() => rooms.id, { onDelete: "cascade" }),
    online: bigint("online", { mode: "number" }).notNull().default(0),
    latestSeq: bigint("latest_seq", { mode: "number" }).notNull().default(0),
    latestAt: timestamp("latest_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("room_activity_latest_at_idx").on(t.latestAt)],
);

export const directRooms = pgTable(
  "direct_rooms",
  {
    roomId: text("room_id")
      .primaryKey()
      .references(() => rooms.id, { onDelete: "cascade" }),
    /** The pair in sorted order, so (a, b) and (b, a) are one row. */
    userLow: uuid("user_low")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userHigh: uuid("user_high")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [
    check("direct_rooms_sorted_pair", sql`${t.userLow} < ${t.userHigh}`),
    unique("direct_rooms_pair").on(t.userLow, t.userHigh),
  ],
);

/** Invite links to a room: whoever holds the token (and is signed in) may join it. */
export const invites = pgTable(
  "invites",
  {
    /** Random, URL-safe; the secret part of the link. */
    token: text("token").primaryKey(),
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("invites_room_idx").on(t.roomId)],
);

export const friendshipStatuses = ["pending", "accepted"] as const;

/**
 * One row per pair of people: a pending request from `requester` to `addressee`, or an
 * accepted friendship. Declining or removing deletes the row, so either may ask again.
 */
export const friendships = pgTable(
  "friendships",
  {
    id: uuid("id").primaryKey(),
    requesterId: uuid("requester_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    addresseeId: uuid("addressee_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: friendshipStatuses }).notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
  },
  (t) => [
    check("friendships_status", sql`${t.status} in ('pending', 'accepted')`),
    check("friendships_not_self", sql`${t.requesterId} <> ${t.addresseeId}`),
    // One row per unordered pair: A→B and B→A cannot both exist.
    uniqueIndex("friendships_pair").on(
      sql`least(${t.requesterId}, ${t.addresseeId})`,
      sql`greatest(${t.requesterId}, ${t.addresseeId})`,
    ),
    index("friendships_addressee_idx").on(t.addresseeId),
  ],
);
