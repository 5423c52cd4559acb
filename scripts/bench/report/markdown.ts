// The report: plain tables for the terminal and docs/BENCHMARKS.md. Every row carries its
// ratios to the limit and to the peer measured in the same run for the same case.

import { cpus, totalmem } from "node:os";
import type { BenchReport, Measured } from "../bench.ts";
import {
  EVENT_LOOP_DELAY_LIMIT_MS,
  GENERATOR_CPU_LIMIT_PERCENT,
  type WindowResult,
} from "../load/measure.ts";
import type { PersistenceResult } from "../load/persistence.ts";
import type { StormResult } from "../load/reconnect-storm.ts";
import {
  type Percentiles,
  STEPS,
  type Step,
  WEB_BUDGET_GZIP_BYTES,
  WEB_FIRST_RENDER_TARGET_MS,
} from "../load/web-app.ts";
import type { GcSummary } from "../systems/gc-trace.ts";
import { NOT_MEASURED_YET, SYSTEMS } from "../systems/index.ts";
import type { SystemName } from "../systems/types.ts";

interface Table {
  title: string;
  columns: string[];
  rows: string[][];
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
}

function ratio(value: number, base: number | undefined): string {
  if (base === undefined || !Number.isFinite(value) || !Number.isFinite(base) || base <= 0) return "–";
  return `${(value / base).toFixed(1)}×`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function delivered(result: WindowResult): string {
  const refused = Object.values(result.refusals).reduce((sum, count) => sum + count, 0);
  return `${(100 * result.deliveryRatio).toFixed(2)}%${refused > 0 ? ` (${refused} refused)` : ""}`;
}

/** "7 (1 full), max 47 ms": a process's collections in the window (server or generator) and the longest pause. */
function gcCell(gc: GcSummary | null): string {
  if (gc === null) return "–";
  if (gc.count === 0) return "none";
  return `${gc.count}${gc.major > 0 ? ` (${gc.major} full)` : ""}, max ${ms(gc.maxMs)} ms`;
}

function validity(result: WindowResult): string {
  return result.invalidReason === null ? "yes" : `INVALID: ${result.invalidReason}`;
}

/** The columns every latency window shares, with p50/p99 as ratios to the limit's and the peer's windows. */
const WINDOW_COLUMNS = [
  "sent",
  "delivered",
  "p50 ms",
  "p99 ms",
  "p99.9 ms",
  "last rcv p50/p99 ms",
  "server CPU",
  "server RSS",
  "server GC",
  "gen CPU",
  "gen GC",
  "p50/p99 × limit",
  "× peer",
  "valid",
];

function latencyRatios(result: WindowResult, base: WindowResult | undefined): string {
  if (!base) return "–";
  return `${ratio(result.latencyMs.p50, base.latencyMs.p50)} / ${ratio(result.latencyMs.p99, base.latencyMs.p99)}`;
}

/** `limit` and `peer` are the same case's windows of those systems (undefined for themselves or when not run). */
function windowCells(
  result: WindowResult,
  limit: WindowResult | undefined,
  peer: WindowResult | undefined,
): string[] {
  return [
    String(result.sent),
    delivered(result),
    ms(result.latencyMs.p50),
    ms(result.latencyMs.p99),
    ms(result.latencyMs.p999),
    `${ms(result.lastReceiverMs.p50)} / ${ms(result.lastReceiverMs.p99)}`,
    `${result.server.cpuPercent.toFixed(0)}%`,
    mib(result.server.peakRssBytes),
    gcCell(result.serverGc),
    `${result.generator.cpuPercent.toFixed(0)}%`,
    gcCell(result.generatorGc),
    latencyRatios(result, limit),
    latencyRatios(result, peer),
    validity(result),
  ];
}

/** The same case's result of `base` (limit or peer), or undefined for `base`'s own row. */
function baseOf<Case, Result>(
  all: Measured<Case, Result>[],
  row: Measured<Case, Result>,
  base: SystemName,
): Result | undefined {
  if (row.system === base) return undefined;
  return all.find((m) => m.system === base && m.case === row.case)?.result;
}

function tables(report: BenchReport): Table[] {
  const result: Table[] = [];
  if (report.fanout.length > 0)
    result.push({
      title: "1. Fan-out in one room",
      columns: ["system", "clients", "body", "msg/s", ...WINDOW_COLUMNS],
      rows: report.fanout.map((m) => [
        m.system,
        String(m.case.clients),
        `${m.case.bodyBytes} B`,
        String(m.case.messagesPerSecond),
        ...windowCells(m.result, baseOf(report.fanout, m, "limit"), baseOf(report.fanout, m, "peer")),
      ]),
    });
  if (report.saturation.length > 0)
    result.push({
      title: "2. Saturation in one room",
      columns: [
        "system",
        "clients",
        "best msg/s",
        "delivered/s",
        "p99 ms",
        "server CPU",
        "× limit",
        "× peer",
        "steps (msg/s: p99 ms)",
        "stopped because",
      ],
      rows: report.saturation.map((m) => {
        const best = m.result.best;
        const limitBest = baseOf(report.saturation, m, "limit")?.best;
        const peerBest = baseOf(report.saturation, m, "peer")?.best;
        return [
          m.system,
          String(m.case.clients),
          best ? String(best.messagesPerSecond) : "none passed",
          best ? best.result.deliveredPerSecond.toFixed(0) : "–",
          best ? ms(best.result.latencyMs.p99) : "–",
          best ? `${best.result.server.cpuPercent.toFixed(0)}%` : "–",
          best && limitBest
            ? ratio(best.result.deliveredPerSecond, limitBest.result.deliveredPerSecond)
            : "–",
          best && peerBest ? ratio(best.result.deliveredPerSecond, peerBest.result.deliveredPerSecond) : "–",
          m.result.steps
            .map((step) => `${step.messagesPerSecond}: ${ms(step.result.latencyMs.p99)}`)
            .join(", "),
          m.result.stoppedBecause,
        ];
      }),
    });
  if (report.storm.length > 0)
    result.push({
      title: "3. Reconnect storm",
      columns: [
        "system",
        "clients",
        "msg/s",
        "sent",
        "reconnects",
        "all resumed ms",
        "resume p50/p99 ms",
        "missed",
        "duplicated",
        "KiB rcvd/client",
        "server CPU",
        "gen CPU",
        "all/p99 × limit",
        "× peer",
        "valid",
      ],
      rows: report.storm.map((m) => [
        m.system,
        String(m.case.clients),
        String(m.case.messagesPerSecond),
        sentCell(m.result),
        reconnects(m.result),
        ms(m.result.allResumedMs),
        `${ms(m.result.resumeMs.p50)} / ${ms(m.result.resumeMs.p99)}`,
        missedCell(m.result),
        String(m.result.duplicates),
        (m.result.receivedBytesPerClient / 1024).toFixed(0),
        `${m.result.server.cpuPercent.toFixed(0)}%`,
        `${m.result.generator.cpuPercent.toFixed(0)}%`,
        stormRatios(m.result, baseOf(report.storm, m, "limit")),
        stormRatios(m.result, baseOf(report.storm, m, "peer")),
        m.result.invalidReason === null ? "yes" : `INVALID: ${m.result.invalidReason}`,
      ]),
    });
  if (report.persistence.length > 0)
    result.push({
      title: "4. Persistence",
      columns: [
        "system",
        "msg/s",
        "sent / acked",
        "ack p50/p99 ms",
        "PG lag p50/p99 ms",
        "ack→row p50/p99 ms",
        "outage",
        "outage window ack p99 ms: before / during / after",
        "backlog at outage end",
        "first row after",
        "catch-up",
        "lost (no row by the end)",
        "dup (clientId / seq)",
        "server CPU",
        "ack p50/p99 × peer",
        "lag p50/p99 × peer",
        "catch-up × peer",
        "valid",
      ],
      rows: report.persistence.map((m) => {
        const r = m.result;
        const peer = baseOf(report.persistence, m, "peer");
        return [
          m.system,
          String(m.case.messagesPerSecond),
          `${r.steady.sent + r.outage.sent} / ${r.steady.acked + r.outage.acked}${refused(r)}`,
          `${ms(r.steady.ackMs.p50)} / ${ms(r.steady.ackMs.p99)}`,
          `${ms(r.steady.lagMs.p50)} / ${ms(r.steady.lagMs.p99)}`,
          `${ms(r.steady.ackToRowMs.p50)} / ${ms(r.steady.ackToRowMs.p99)}`,
          `${m.case.outageMs / 1000} s (wait ≤ ${m.case.catchUpLimitMs / 1000} s)`,
          `${ms(r.outage.ackBeforeMs.p99)} / ${ms(r.outage.ackDuringMs.p99)} / ${ms(r.outage.ackAfterMs.p99)}`,
          String(r.outage.backlogAtOutageEnd),
          r.outage.firstRowMs === null ? "none" : `${(r.outage.firstRowMs / 1000).toFixed(2)} s`,
          catchUp(r),
          String(r.steady.lost + r.outage.lost),
          `${r.duplicatedClientIds} / ${r.duplicatedSeqs}`,
          `${r.server.cpuPercent.toFixed(0)}%`,
          peer
            ? `${ratio(r.steady.ackMs.p50, peer.steady.ackMs.p50)} / ${ratio(r.steady.ackMs.p99, peer.steady.ackMs.p99)}`
            : "–",
          peer
            ? `${ratio(r.steady.lagMs.p50, peer.steady.lagMs.p50)} / ${ratio(r.steady.lagMs.p99, peer.steady.lagMs.p99)}`
            : "–",
          peer && r.outage.catchUpMs !== null && peer.outage.catchUpMs !== null
            ? ratio(r.outage.catchUpMs, peer.outage.catchUpMs)
            : "–",
          r.invalidReason === null ? "yes" : `INVALID: ${r.invalidReason}`,
        ];
      }),
    });
  if (report.rooms.length > 0)
    result.push({
      title: "5. Many rooms",
      columns: ["system", "rooms × clients", "msg/s per client", ...WINDOW_COLUMNS],
      rows: report.rooms.map((m) => [
        m.system,
        `${m.case.rooms} × ${m.case.clientsPerRoom}`,
        String(m.case.sendsPerClientPerSecond),
        ...windowCells(m.result, baseOf(report.rooms, m, "limit"), baseOf(report.rooms, m, "peer")),
      ]),
    });
  result.push(...webTables(report));
  result.push(...limitTables(report));
  return result;
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

function spread(p: Percentiles | null): string {
  return p ? `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.max)}` : "–";
}

const STEP_LABELS: Record<Step, string> = {
  page: "HTML document",
  script: "JS file",
  stylesheet: "CSS file",
  domContentLoaded: "DOMContentLoaded handlers",
  me: "GET /api/me",
  roomList: "GET /api/rooms (sidebar)",
  room: "GET /api/rooms/:id",
  socket: "room socket: new WebSocket → open",
  hello: "room socket: open → ready",
  history: "GET …/messages (history)",
  render: "history received → in the DOM",
  paint: "in the DOM → next frame",
};

/** Scenario 6: sizes against the budget, first-render times against the target, and where the time goes. */
function webTables(report: BenchReport): Table[] {
  if (report.web.length === 0) return [];
  return [
    {
      title: "6. The web app",
      columns: ["system", "measure", "value", "target", "met"],
      rows: report.web.flatMap(({ system, case: web, result }) => {
        const { total } = result.size;
        const render = result.firstRender;
        const met = (ok: boolean) => (ok ? "yes" : "NO");
        return [
          [
            system,
            "JS+CSS gzip -9",
            kb(total.gzipBytes),
            `≤ ${kb(WEB_BUDGET_GZIP_BYTES)}`,
            met(total.gzipBytes <= WEB_BUDGET_GZIP_BYTES),
          ],
          [system, "JS+CSS brotli 11", kb(total.brotliBytes), "–", "–"],
          [system, "JS+CSS uncompressed", kb(total.bytes), "–", "–"],
          [
            system,
            `first ${result.expectedMessages} messages in the DOM, p50 / p95 / max ms (${result.runs.length} loads)`,
            result.skipped ? `not run: ${result.skipped}` : spread(render),
            `≤ ${WEB_FIRST_RENDER_TARGET_MS} ms`,
            render ? met(render.p95 <= WEB_FIRST_RENDER_TARGET_MS) : "–",
          ],
          [
            system,
            "… of which waiting on the critical path's requests, p50 / p95 / max ms",
            spread(result.waiting),
            "–",
            "–",
          ],
          [system, "… of which the page's own work, p50 / p95 / max ms", spread(result.working), "–", "–"],
          [
            system,
            "the same requests from Node, one after the other (no browser), p50 / p95 / max ms",
            spread(result.serverOnly),
            "–",
            "–",
          ],
          [
            system,
            `… painted (next frame), p50 / p95 / max ms`,
            spread(result.painted),
            `≤ ${WEB_FIRST_RENDER_TARGET_MS} ms`,
            result.painted ? met(result.painted.p95 <= WEB_FIRST_RENDER_TARGET_MS) : "–",
          ],
          [system, "room seeded with", `${web.messages} messages of ~100 B`, "–", "–"],
          [
            system,
            "machine load (1-min average) before / after",
            result.loadAverage.map((load) => load.toFixed(1)).join(" / "),
            "–",
            "–",
          ],
        ];
      }),
    },
    {
      title: "6. The web app, where the time goes",
      columns: ["system", "step", "starts p50 ms", "ends p50 ms", "takes p50 / p95 ms"],
      rows: report.web.flatMap(({ system, result }) =>
        STEPS.flatMap((step) => {
          const found = result.steps[step];
          if (!found) return [];
          const takes = `${ms(found.duration.p50)} / ${ms(found.duration.p95)}`;
          return [[system, STEP_LABELS[step], ms(found.startP50), ms(found.endP50), takes]];
        }),
      ),
    },
    {
      title: "6. The web app, file by file",
      columns: ["system", "file", "bytes", "gzip -9", "brotli 11"],
      rows: report.web.flatMap(({ system, result }) =>
        result.size.assets.map((asset) => [
          system,
          asset.kind === "html" ? `${asset.file} (not in the total)` : asset.file,
          String(asset.bytes),
          String(asset.gzipBytes),
          String(asset.brotliBytes),
        ]),
      ),
    },
  ];
}

/** Issue 15's cases: the room list at scale, and the rest of the app while guesses are hashed. */
function limitTables(report: BenchReport): Table[] {
  const tablesOut: Table[] = [];
  if (report.roomList.length > 0)
    tablesOut.push({
      title: "7. The room list",
      columns: [
        "system",
        "public rooms",
        "rooms in the answer",
        "requests",
        "p50 ms",
        "p99 ms",
        "max ms",
        "target p99",
      ],
      rows: report.roomList.map(({ system, case: c, result }) => [
        system,
        String(c.rooms),
        String(result.listed),
        `${result.latency.count} (${c.concurrency} at a time)`,
        ms(result.latency.p50),
        ms(result.latency.p99),
        ms(result.latency.max),
        `≤ 100 ms: ${result.latency.p99 <= 100 ? "yes" : "NO"}`,
      ]),
    });
  if (report.joinFlood.length > 0)
    tablesOut.push({
      title: "8. /api/health during a flood of wrong room passwords",
      columns: [
        "system",
        "joins at once",
        "answers",
        "flood took",
        "health p50 / p99 / max ms",
        "target p99",
        "/api/online (no Postgres) p50 / p99 / max ms",
      ],
      rows: report.joinFlood.map(({ system, case: c, result }) => [
        system,
        String(c.joins),
        Object.entries(result.statuses)
          .map(([status, count]) => `${count}× ${status}`)
          .join(", "),
        `${ms(result.floodMs)} ms`,
        `${ms(result.health.p50)} / ${ms(result.health.p99)} / ${ms(result.health.max)}`,
        `< 250 ms: ${result.health.p99 < 250 ? "yes" : "NO"}`,
        `${ms(result.online.p50)} / ${ms(result.online.p99)} / ${ms(result.online.max)}`,
      ]),
    });
  if (report.badges.length > 0)
    tablesOut.push({
      title: "9. Live unread badges (room_activity on members' hubs)",
      columns: [
        "system",
        "members with the app open",
        "messages (5 a second)",
        "send → badge p50 / p99 / max ms",
        "hub frames per member per message",
        "badges missed",
        "target p99",
      ],
      rows: report.badges.map(({ system, case: c, result }) => [
        system,
        String(c.members),
        String(c.messages),
        `${ms(result.latency.p50)} / ${ms(result.latency.p99)} / ${ms(result.latency.max)}`,
        result.framesPerMessage.toFixed(2),
        String(result.missed),
        `≤ 1,000 ms: ${result.latency.p99 <= 1_000 ? "yes" : "NO"}`,
      ]),
    });
  return tablesOut;
}

/** How the reconnects ended, e.g. "200 resumed" or "190 resumed, 10 resync". */
function reconnects(result: StormResult): string {
  const labels: Record<keyof StormResult["outcomes"], string> = {
    resumed: "resumed",
    resync: "resync (page over HTTP)",
    not_recovered: "not recovered",
    no_resume: "no resume",
    failed: "FAILED",
    pending: "not back by the end",
  };
  return (Object.keys(labels) as (keyof StormResult["outcomes"])[])
    .filter((outcome) => result.outcomes[outcome] > 0)
    .map((outcome) => `${result.outcomes[outcome]} ${labels[outcome]}`)
    .concat(result.failures.map((failure) => `(${failure})`))
    .join(", ");
}

function sentCell(result: StormResult): string {
  const refused = Object.entries(result.refusals).map(([code, count]) => `${count} ${code}`);
  return refused.length === 0 ? String(result.sent) : `${result.sent} (refused: ${refused.join(", ")})`;
}

function missedCell(result: StormResult): string {
  const toPage = result.toPage > 0 ? ` (+${result.toPage} to page after resync)` : "";
  if (result.missed === 0) return `0${toPage}`;
  const where = `${result.missed} (${result.clientsMissing} clients)`;
  return `${result.resumes ? where : `${where}, no resume`}${toPage}`;
}

function stormRatios(result: StormResult, base: StormResult | undefined): string {
  if (!base) return "–";
  return `${ratio(result.allResumedMs, base.allResumedMs)} / ${ratio(result.resumeMs.p99, base.resumeMs.p99)}`;
}

function catchUp(result: PersistenceResult): string {
  if (result.outage.catchUpMs !== null) return `${(result.outage.catchUpMs / 1000).toFixed(2)} s`;
  return result.outage.ackedByOutageEnd === 0 ? "nothing acked by outage end" : "never";
}

function refused(result: PersistenceResult): string {
  const count = Object.values(result.steady.refusals).reduce((sum, n) => sum + n, 0);
  return count > 0 ? ` (${count} refused)` : "";
}

/** Aligned columns for the terminal. */
export function renderTables(report: BenchReport): string {
  return tables(report)
    .map((table) => {
      const all = [table.columns, ...table.rows];
      const widths = table.columns.map((_, column) =>
        Math.max(...all.map((row) => (row[column] ?? "").length)),
      );
      const lines = all.map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join("  ")
          .trimEnd(),
      );
      return [table.title, ...lines].join("\n");
    })
    .join("\n\n");
}

/** A Markdown table with padded columns (the layout Biome's formatter keeps). */
function markdownTable(table: Table): string {
  const widths = table.columns.map((_, column) =>
    Math.max(3, ...[table.columns, ...table.rows].map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(table.columns), line(widths.map((width) => "-".repeat(width))), ...table.rows.map(line)].join(
    "\n",
  );
}

const EXPLANATIONS: Record<string, string> = {
  "1. Fan-out in one room": `Every client is in one room and receives every message, its own included. Sends are
spread round-robin over the clients, at most 4 per client per second (under Chattr's flood limit).`,
  "2. Saturation in one room": `The offered rate steps up in one room (each step on the same connected clients) until a
step's p99 reaches 250 ms, a message is lost, or the generator saturates. "best" is the
highest passing step; delivered/s counts every delivery to every client.`,
  "3. Reconnect storm": `One room: a few senders stay connected and send at a steady Poisson rate, while every
other client loses its TCP connection (terminated, no close handshake; frames in flight are
lost) at a seeded random moment within one second and reconnects at once. Chattr resumes with
\`hello {lastSeq}\` (the last seq the client saw) and is back once \`ready\` and the replay up
to \`ready.seq\` arrived; the peer reconnects the same Socket.IO socket and is back at
\`connect\` with \`socket.recovered\` (Connection State Recovery); the limit and the floor have no
resume protocol, so they are back at \`ready\` and their losses are expected ("no resume").
"resync" counts Chattr clients told their gap is too old (they would page history over HTTP;
the bench does not, and counts what they lack as "to page", not as missed). "all resumed" runs from the first drop until the last client was back;
resume p50/p99 per client from its drop. Every client's deliveries are counted per message
(the id in the body) over the whole window, across its disconnect: "missed" are messages a
client never got (with how many clients missed any), "duplicated" are extra deliveries of a
message a client already had; both must be 0 for a system that resumes. "KiB rcvd/client" is
what each reconnecting client received on average from the first send to the end, all frames
(messages, replay, presence and the rest). Ratios: all resumed
and resume p99 over the limit's and the peer's.`,
  "4. Persistence": `One room, a Poisson stream of sends (seeded, the same for every system) spread round-robin
over 300 sender-only clients, each its own user (3.3 sends/s each, under Chattr's flood
limit): they never join, so they get no broadcasts, only their acks; 2 joined clients receive
every message. Only systems with storage take part: the limit and the floor have none.
The bench reads each system's Postgres directly, polling the room's new rows every 25 ms (the
lag's resolution), while the system reaches it through a fault-injecting TCP proxy
(scripts/bench/systems/fault-proxy.ts), the same for both: for Chattr between its
WebSocket bridge and PGlite, for the peer between its \`pg\` pool and PGlite.
First a steady window: **ack** is intended send time → ack received; **PG lag** is intended
send time → the row first seen in Postgres; **ack→row** is ack received → row first seen
(about 0 when the row was seen before the ack arrived). Then an outage window: sends go on
while the proxy refuses new connections and cuts open ones for the "outage" time; its ack p99
is given for the messages sent before, during and after the outage. Afterwards the bench waits
(bounded) until every acked message has its row:
**lost** = acked but without a row when the bounded wait ended, **dup** = rows beyond one per clientId / per seq (both
must be 0); **backlog** = messages acked before the outage ended without a row then;
**first row after** = outage end → the first row written after it (the retry delay);
**catch-up** = outage end → the last of those has its row.
What an ack means differs. Chattr acks once the message is durable in the room Durable
Object's SQLite (the output gate holds the ack until the write is); its Postgres row follows
from the room's flush timer (500 ms after the first waiting message, or at once when 100 wait; up to 1,000 rows a statement, a backlog back to back; an alarm as the safety net
should the object be evicted; after a failure its backoff is 1 s, 2 s, 4 s, 8 s, then every
10 s, and new sends do not bring the retry forward). The
peer acks right after its broadcast, before the message is even queued for its batch: an
acked message lives only in the Node process's memory until its batch is written, and is lost
if the process dies; a failed batch is kept in memory and retried with the same backoff as
Chattr's, ahead of later batches.`,
  "5. Many rooms": `Independent rooms at once, every client sending at a mean of 1 message/s (Poisson per room).`,
  "6. The web app": `Only Chattr has a web app, so ratios to the limit and the peer do not apply here: the
rows compare with issue 6's targets instead (≤ 60 kB of JS+CSS gzipped; first messages rendered
≤ 500 ms after navigation on loopback; "met" judges the p95). Sizes are every JS and CSS file
of \`vite build\` (dist/web), compressed here with zlib (gzip level 9, brotli quality 11). Each
load is a signed-in user opening a room of 50 messages in a new headless Chromium context
(no cache) at 1280×800, after one uncounted warm-up load. Times are \`performance.now()\` in the
page, i.e. from the navigation's start: "in the DOM" is when a MutationObserver sees the
room's newest message and all 50 rendered, "painted" the next animation frame. Until the
messages are in the DOM, "waiting" is the time some request of the critical path was under
way (HTML, JS, CSS, \`/api/me\`, \`/api/rooms/:id\`, the room socket until \`ready\`, history: the
union of their spans) and "own work" the rest (running the script, rendering, waiting for a
frame before an effect fetches). "From Node" makes the same critical-path requests with no
browser, one after the other, after the loads: what the server alone costs that path. The
machine is shared, so its load average is reported too.`,
  "6. The web app, where the time goes": `The same loads step by step, in ms after navigation start (p50 over the loads; a step's
duration percentiles are over its own durations). Requests run from their start (queueing
included) until their response is fully received (Resource Timing); the room socket from
\`new WebSocket\` until open, then until its \`ready\` frame. Gaps between one step's end and the
next's start are the page's own work (running the script, rendering, waiting for a frame).`,
  "7. The room list": `\`GET /api/rooms\` as the bench's signed-in owner, after 1,000 public rooms
were seeded into Postgres (each with a latest message at its own time): the answer is the
lobby, #general, the owner's own rooms and the first page of 50 public rooms, read from what
the rooms pushed (\`room_activity\`), never from the rooms themselves. Before issue 15 the list
called every room's object: 309 public rooms took 4.6 s (the issue's measurement).`,
  "8. /api/health during a flood of wrong room passwords": `One account sends 60 wrong passwords for one
private room at once, from one address, while \`/api/health\` is asked every 20 ms (for at least
2 s). Each guess that passes the limits costs an argon2id hash (19 MiB, ~0.3 s of CPU). Before
issue 15 every one of them was hashed: \`/api/health\` went from 20 ms to 14.6 s and workerd from
367 MB to 1.5 GB (the issue's measurement). \`/api/health\` asks Postgres, which here shares the
server's CPU at the lowest priority (standing in for a database machine of its own), so
while the allowed hashes keep workerd's thread busy the database waits; \`/api/online\`,
asked at the same moments, needs no Postgres and shows the Worker's own delay.`,
  "6. The web app, file by file": `Every JS, CSS and HTML file of the build, largest gzipped first; the total above counts the JS
and CSS (the HTML is listed for completeness).`,
};

export function renderMarkdown(report: BenchReport): string {
  const cpu = cpus();
  const systems = report.systems
    .map((name) => `- **${name}**: ${SYSTEMS[name]?.description ?? "not implemented"}`)
    .concat(NOT_MEASURED_YET.map((name) => `- **${name}**: not measured yet`))
    .join("\n");
  const sections = tables(report)
    .map((table) => `## ${table.title}\n\n${EXPLANATIONS[table.title] ?? ""}\n\n${markdownTable(table)}`)
    .join("\n\n");
  return `# Benchmarks

Written by \`npm run bench${report.mode === "quick" ? " -- --quick" : ""}\`; do not edit by hand.

- Date: ${report.startedAt.toISOString()}
- Mode: ${report.mode}
- Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform} ${process.arch}, Node ${process.version}
- Pinning: ${report.pinning}
- Loopback only (127.0.0.1). Client and servers share this machine.

## Systems

${systems}

## How it is measured

Sends follow a Poisson schedule (seeded, the same for every system). Latency is measured per
delivery from the message's **intended** send time (carried in the body), so a server or
generator that falls behind cannot hide its delay; "last rcv" is, per message, the time
until the last client had it (messages some client never got count in "delivered"
instead). Percentiles from HdrHistogram (3 significant digits). CPU is the average over the
measured window in % of one core; RSS is the peak, summed over the server's whole process
tree (for Chattr: workerd, the embedded Postgres and its bridge; for the peer: the Socket.IO
server and its embedded Postgres). On Linux the embedded Postgres instances run at the
lowest priority (nice 19, see "Pinning"), standing in for production's separate database machine:
at normal priority their bursts held the server's thread up by whole scheduler slices. A row is INVALID when the
generator itself saturated (above ${GENERATOR_CPU_LIMIT_PERCENT}% of a core, or event-loop delay p99 above
${EVENT_LOOP_DELAY_LIMIT_MS} ms). Ratios compare with the limit and with the peer measured in the same run
(latency: this system's p50 and p99 over theirs; saturation: delivered/s over theirs).
"server GC" counts the garbage collections of the server's JavaScript thread (Node's; workerd's
for the floor and Chattr, all its isolates, which share the thread) that ended between the first
send and the end of the drain, and gives the longest pause, as the server's V8 reports them
(\`--trace-gc\`, printed line by line through \`stdbuf\`; "–" where that is missing). "full" counts
mark-compacts: every frame due during a pause leaves after it, so a window's p99 moves with them.
"gen GC" is the same for the generator (Node's performance timeline): a pause there delays the
reading of whatever arrives meanwhile, from any server.

${sections}
${report.failures.length > 0 ? `\n## Cases that failed\n\n${report.failures.map((failure) => `- ${failure}`).join("\n")}\n` : ""}`;
}
