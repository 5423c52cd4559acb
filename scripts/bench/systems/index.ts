import { chattrSystem } from "./chattr.ts";
import { floorSystem } from "./floor.ts";
import { limitSystem } from "./limit.ts";
import type { BenchSystem, SystemName } from "./types.ts";

/**
 * The systems in the order they are measured (each case rotates the starting one).
 * `peer` (Socket.IO 4.8, io.to(room).emit, same session check, batched Postgres writes)
 * is the missing slot: add `systems/peer.ts` implementing BenchSystem and list it here.
 */
export const SYSTEMS: Partial<Record<SystemName, BenchSystem>> = {
  limit: limitSystem,
  floor: floorSystem,
  chattr: chattrSystem,
};

export const NOT_MEASURED_YET: readonly SystemName[] = ["peer"];
