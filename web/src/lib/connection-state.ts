/** Where a live socket stands (live-socket.ts); a type of its own so pure modules can name it. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";
