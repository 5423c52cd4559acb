// What the page frame knows that a page's own header needs on a phone, where the app's
// header and the room's header are one row: who is signed in, the rooms drawer, log-out.
import { createContext } from "preact";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { DrawerControl } from "../lib/use-drawer.ts";

export interface Shell {
  user: UserRef | null;
  onLogout: () => void;
  loggingOut: boolean;
  /** The left sidebar's drawer, when this page has one. */
  roomsDrawer: DrawerControl | null;
  /** What the sidebar holds: "Rooms", "Friends" or both. */
  drawerLabel: string;
}

export const ShellContext = createContext<Shell>({
  user: null,
  onLogout: () => undefined,
  loggingOut: false,
  roomsDrawer: null,
  drawerLabel: "Rooms",
});
