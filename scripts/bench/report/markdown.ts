// The report: a plain table for the terminal and docs/BENCHMARKS.md. Every row carries its
// ratio to the limit measured in the same run for the same case.
import { cpus, totalmem } from "node:os";
import type { BenchReport, FanoutMeasurement } from "../bench.ts";
import { EVENT_LOOP_DELAY_LIMIT_MS, GENERATOR_CPU_LIMIT_PERCENT } from "../load/fanout.ts";
import { NOT_MEASURED_YET, SYSTEMS } from "../systems/index.ts";

const COLUMNS = [
  "system",
  "clients",
  "body",
  "msg/s",
  "sent",
  "delivered",
  "p50 ms",
  "p99 ms",
  "p99.9 ms",
  "last rcv p50/p99 ms",
  "server CPU",
  "server RSS",
  "gen CPU",
  "p50/p99 × limit",
  "× peer",
  "valid",
] as const;

function ms(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
}

function ratio(value: number, base: number | undefined): string {
  if (base === undefined || !Number.isFinite(value) || !Number.isFinite(base) || base <= 0) return "–";
  return `${(value / base).toFixed(1)}×`;
}

function rows(report: BenchReport): string[][] {
  return report.fanout.map(({ system, result }) => {
    const limit = findLimit(report.fanout, result.case.clients, result.case.bodyBytes);
    const refused = Object.values(result.refusals).reduce((sum, count) => sum + count, 0);
    return [
      system,
      String(result.case.clients),
      `${result.case.bodyBytes} B`,
      String(result.case.messagesPerSecond),
      String(result.sent),
      `${(100 * result.deliveryRatio).toFixed(2)}%${refused > 0 ? ` (${refused} refused)` : ""}`,
      ms(result.latencyMs.p50),
      ms(result.latencyMs.p99),
      ms(result.latencyMs.p999),
      `${ms(result.lastReceiverMs.p50)} / ${ms(result.lastReceiverMs.p99)}`,
      `${result.server.cpuPercent.toFixed(0)}%`,
      `${(result.server.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
      `${result.generator.cpuPercent.toFixed(0)}%`,
      system === "limit" || !limit
        ? "–"
        : `${ratio(result.latencyMs.p50, limit.latencyMs.p50)} / ${ratio(result.latencyMs.p99, limit.latencyMs.p99)}`,
      "not measured yet",
      result.invalidReason === null ? "yes" : `INVALID: ${result.invalidReason}`,
    ];
  });
}

function findLimit(measurements: FanoutMeasurement[], clients: number, bodyBytes: number) {
  return measurements.find(
    (m) => m.system === "limit" && m.result.case.clients === clients && m.result.case.bodyBytes === bodyBytes,
  )?.result;
}

/** Aligned columns for the terminal. */
export function renderTable(report: BenchReport): string {
  const all = [[...COLUMNS], ...rows(report)];
  const widths = COLUMNS.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  return all.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")).join("\n");
}

export function renderMarkdown(report: BenchReport): string {
  const cpu = cpus();
  const table = [
    `| ${COLUMNS.join(" | ")} |`,
    `| ${COLUMNS.map(() => "---").join(" | ")} |`,
    ...rows(report).map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
  const systems = report.systems
    .map((name) => `- **${name}**: ${SYSTEMS[name]?.description ?? "not implemented"}`)
    .concat(NOT_MEASURED_YET.map((name) => `- **${name}**: not measured yet`))
    .join("\n");
  return `# Benchmarks

Written by \`npm run bench${report.mode === "quick" ? " -- --quick" : ""}\`; do not edit by hand.

- Date: ${report.startedAt.toISOString()}
- Mode: ${report.mode}
- Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform} ${process.arch}, Node ${process.version}
- Pinning: ${report.pinning}
- Loopback only (127.0.0.1). Client and servers share this machine.

## Systems

${systems}

## 1. Fan-out in one room

Every client is in one room and receives every message, its own included. Sends follow a
Poisson schedule (seeded, the same for every system) spread round-robin over the clients.
Latency is measured per delivery from the message's **intended** send time (carried in the
body), so a server or generator that falls behind cannot hide its delay; "last rcv" is, per
message, the time until the last client had it (messages some client never got are counted
in "delivered" instead). Percentiles from HdrHistogram (3 significant digits). CPU is the
average over the measured window in % of one core; RSS is the peak, summed over the
server's whole process tree (for Chattr: wrangler, workerd and the embedded Postgres). A
row is INVALID when the generator itself saturated (above ${GENERATOR_CPU_LIMIT_PERCENT}% of a core, or
event-loop delay p99 above ${EVENT_LOOP_DELAY_LIMIT_MS} ms).

${table}

## Not measured yet

Saturation (scenario 2), reconnect storm (3), persistence (4), many rooms (5), the web app
(6), and the peer (Socket.IO) column.
`;
}
