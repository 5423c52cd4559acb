// `npx node scripts/bench/profile.ts <inspector port> [--after=s] [--for=s] [--interval=µs] [--out=file]`
// Where the time goes in the Worker under load: attaches to workerd's V8 inspector (start
// the bench with BENCH_INSPECTOR_PORT=<port>; chattr-server.ts passes it to Miniflare),
// records a CPU profile of the app's isolate for a while, writes it (open it in Chrome's
// DevTools) and prints the functions with the most samples, on their own and with what
// they call. Native calls (SQL, WebSocket sends) count towards the function calling them.
// Line numbers are the bundle's (wrangler deploy --dry-run --outdir).
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    after: { type: "string", default: "0" },
    for: { type: "string", default: "10" },
    // Sampling slows the isolate: a coarser interval disturbs a run that is near its limit less.
    interval: { type: "string", default: "200" },
    out: { type: "string", default: "chattr.cpuprofile" },
  },
});
const port = Number(positionals[0]);
if (!port)
  throw new Error("usage: profile.ts <inspector port> [--after=s] [--for=s] [--interval=µs] [--out=file]");
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

await sleep(Number(values.after));
const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
  title: string;
  webSocketDebuggerUrl: string;
}[];
// Miniflare names the user's Worker `core:user:<name>`; the others are its own helpers.
const target = targets.find((t) => t.title.includes("core:user:"));
if (!target) throw new Error(`no user Worker among ${targets.map((t) => t.title).join(", ")}`);

const socket = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((resolve, reject) => {
  socket.addEventListener("open", resolve);
  socket.addEventListener("error", reject);
});
let nextId = 0;
const waiting = new Map<number, (result: unknown) => void>();
socket.addEventListener("message", (event) => {
  const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
  if (message.id !== undefined) waiting.get(message.id)?.(message.result);
});
function call(method: string, params: object = {}): Promise<unknown> {
  const id = ++nextId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    socket.send(JSON.stringify({ id, method, params }));
  });
}

await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: Number(values.interval) });
await call("Profiler.start");
await sleep(Number(values.for));
const { profile } = (await call("Profiler.stop")) as { profile: Profile };
socket.close();
writeFileSync(values.out, JSON.stringify(profile));

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const name = (node: ProfileNode) =>
  `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.split("/").pop() ?? ""}:${node.callFrame.lineNumber + 1}`;
const own = new Map<string, number>();
const withCallees = new Map<string, number>();
for (const sample of profile.samples) {
  const leaf = nodes.get(sample);
  if (!leaf) continue;
  own.set(name(leaf), (own.get(name(leaf)) ?? 0) + 1);
  const seen = new Set<string>();
  for (let node: ProfileNode | undefined = leaf; node; node = nodes.get(parents.get(node.id) ?? -1)) {
    if (seen.has(name(node))) continue;
    seen.add(name(node));
    withCallees.set(name(node), (withCallees.get(name(node)) ?? 0) + 1);
  }
}
const total = profile.samples.length;
for (const [title, counts] of [
  ["on their own", own],
  ["with what they call", withCallees],
] as const) {
  console.log(`\n% of ${total} samples, ${title}:`);
  for (const [fn, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`${((100 * count) / total).toFixed(1).padStart(5)}  ${fn}`);
}
console.log(`\nwrote ${values.out}`);
