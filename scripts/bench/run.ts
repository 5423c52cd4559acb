// `npm run bench [-- --quick] [-- --systems=limit,chattr] [-- --scenarios=fanout,saturation,rooms,storm] [-- --out=path] [-- --verbose]`
// Runs the benchmark and writes docs/BENCHMARKS.md (or --out). Not part of `npm test`;
// a tiny smoke run of it is (scripts/bench/bench.test.ts).
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runBench, SCENARIOS, type ScenarioName } from "./bench.ts";
import { SYSTEMS } from "./systems/index.ts";
import { stopServersOnExit } from "./systems/server-process.ts";
import type { SystemName } from "./systems/types.ts";

const DEFAULT_OUT = fileURLToPath(new URL("../../docs/BENCHMARKS.md", import.meta.url));

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    systems: { type: "string" },
    scenarios: { type: "string" },
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

stopServersOnExit();
await runBench({
  scenarios,
  mode: values.quick ? "quick" : "full",
  systems,
  outFile: values.out ?? DEFAULT_OUT,
  verbose: values.verbose,
});
