import { chattrSystem } from "./chattr.ts";
import { floorSystem } from "./floor.ts";
import { limitSystem } from "./limit.ts";
import { peerSystem } from "./peer.ts";
import type { BenchSystem, SystemName } from "./types.ts";

/** The systems in the order they are measured (each case rotates the starting one). */
export const SYSTEMS: Partial<Record<SystemName, BenchSystem>> = {
  limit: limitSystem,
  floor: floorSystem,
  peer: peerSystem,
  chattr: chattrSystem,
};

export const NOT_MEASURED_YET: readonly SystemName[] = [];
