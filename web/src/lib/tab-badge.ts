// The tab's title and favicon carry the unread total across every room: a person with Chattr
// in a background tab sees that something came, and where they are. The open room counts
// what this tab has not shown yet; the others count what the hub last said.

import { tabTitle, totalUnread } from "./room-list-state.ts";
import { roomList } from "./room-list-store.ts";

let page: string | null = null;
let openRoom: { id: string; unseen: number } | null = null;
// The page starts with the plain icon: nothing to redraw (or refetch) until a count arrives.
let shownTotal = 0;
let baseIcon: HTMLImageElement | null = null;

/** What the tab shows: the page's name and, in a room, that room's own unseen count. */
export function showPage(name: string | null, room: { id: string; unseen: number } | null = null): void {
  page = name;
  openRoom = room;
  render();
}

/** Keeps the tab in step with the room list from now on. */
export function startTabBadge(): void {
  roomList.subscribe(render);
  render();
}

function render(): void {
  const rooms = roomList.view.rooms ?? [];
  const others = openRoom ? rooms.filter((room) => room.id !== openRoom?.id) : rooms;
  const total = totalUnread(others) + (openRoom?.unseen ?? 0);
  document.title = tabTitle(page, total);
  if (total !== shownTotal) {
    shownTotal = total;
    drawFavicon(total);
  }
}

/** The app's icon with a red dot and the count, drawn on a canvas; the plain icon at 0. */
function drawFavicon(total: number): void {
  const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) return;
  if (total === 0) {
    link.href = "/favicon.svg";
    return;
  }
  if (!baseIcon) {
    baseIcon = new Image();
    baseIcon.src = "/favicon.svg";
  }
  const icon = baseIcon;
  const paint = () => {
    if (shownTotal !== total) return;
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 64;
    const context = canvas.getContext("2d");
    if (!context) return;
    context.drawImage(icon, 0, 0, 64, 64);
    context.fillStyle = "#d92d20";
    context.beginPath();
    context.arc(44, 20, 20, 0, Math.PI * 2);
    context.fill();
    context.fillStyle = "#ffffff";
    context.font = "bold 26px system-ui, sans-serif";
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText(total > 9 ? "9+" : String(total), 44, 21);
    link.href = canvas.toDataURL("image/png");
  };
  if (icon.complete && icon.naturalWidth > 0) paint();
  else icon.addEventListener("load", paint, { once: true });
}
