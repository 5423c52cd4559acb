// `npm run bench [-- --quick] [-- --systems=limit,chattr] [-- --scenarios=fanout,saturation,rooms,storm] [-- --fanout-clients=200] [-- --out=path] [-- --verbose]`
// Runs the benchmark and writes docs/BENCHMARKS.md (or --out). Not part of `npm test`;
// a tiny smoke run of it is (scripts/bench/bench.test.ts).
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchCases, runBench, SCENARIOS, type ScenarioName } from "./bench.ts";
import { SYSTEMS } from "./systems/index.ts";
import { stopServersOnExit } from "./systems/server-process.ts";
import type { SystemName } from "./systems/types.ts";

const DEFAULT_OUT = fileURLToPath(new URL("../../docs/BENCHMARKS.md", import.meta.url));

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    systems: { type: "string" },
    scenarios: { type: "string" },
    /** Only the fan-out cases with these client counts (to look into one of them). */
    "fanout-clients": { type: "string" },
    out: { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});

const known = Object.keys(SYSTEMS) as SystemName[];
const systems = values.systems ? (values.systems.split(",") as SystemName[]) : known;
for (const name of systems)
  if (!known.includes(name)) throw new Error(`unknown system ${name}; known: ${known.join(", ")}`);

const scenarios = values.scenarios ? (values.scenarios.split(",") as ScenarioName[]) : SCENARIOS;
for (const name of scenarios)
  if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.join(", ")}`);

const mode = values.quick ? "quick" : "full";
const fanoutClients = values["fanout-clients"]?.split(",").map(Number);
const fanout = benchCases(mode).fanout.filter((c) => !fanoutClients || fanoutClients.includes(c.clients));
if (fanout.length === 0) throw new Error(`no ${mode} fan-out case has ${values["fanout-clients"]} clients`);

stopServersOnExit();
await runBench({
  cases: { fanout },
  scenarios,
  mode,
  systems,
  outFile: values.out ?? DEFAULT_OUT,
  verbose: values.verbose,
});
