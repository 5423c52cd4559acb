// `ws` loaded through Node's own resolver. Vitest's global setup runs under the Workers
// project's resolve conditions, which would pick ws's browser stub (it throws).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ws = require("ws") as typeof import("ws");

export const WebSocket = ws.WebSocket;
export const WebSocketServer = ws.WebSocketServer;
export type WebSocket = import("ws").WebSocket;
