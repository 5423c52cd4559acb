// The Socket.IO events between the peer's server and the bench client: the room socket's
// frames (types.ts) as Socket.IO events, with acknowledgement callbacks where Chattr answers
// the sender (`ready` for a join, `ack` or `error` for a send).
import type { ChatMessage } from "../../../worker/protocol/room-protocol.ts";

export interface PeerReady {
  type: "ready";
  roomId: string;
  seq: number;
}

export interface PeerAck {
  type: "ack";
  clientId: string;
  seq: number;
  id: string;
  createdAt: string;
}

export interface PeerError {
  type: "error";
  code: string;
}

export interface PeerSend {
  clientId: string;
  body: string;
}

/** Chattr's `message` frame: the same fields, so each delivery costs the same bytes. */
export type PeerMessage = { type: "message" } & ChatMessage;

export interface PeerClientToServer {
  hello(roomId: string, reply: (answer: PeerReady | PeerError) => void): void;
  /** Picks the room to send to without joining it (no broadcasts), like a Chattr socket without `hello`. */
  attach(roomId: string, reply: (answer: PeerReady | PeerError) => void): void;
  send(frame: PeerSend, reply: (answer: PeerAck | PeerError) => void): void;
}

export interface PeerServerToClient {
  message(frame: PeerMessage): void;
}
