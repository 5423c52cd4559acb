// The body every bench message carries: a unique id and the intended send time, padded to
// the wanted size. Receivers parse it back, so every system is measured from the same data
// whatever else its frames hold. Times are performance.now() of the generator, which runs
// every client, so sender and receivers share one clock.

const PREFIX = "bench";

export interface BodyStamp {
  id: number;
  intendedAt: number;
}

export function encodeBody(stamp: BodyStamp, bytes: number): string {
  const head = `${PREFIX} ${stamp.id} ${stamp.intendedAt.toFixed(3)} `;
  return head.padEnd(Math.max(bytes, head.length + 1), "x");
}

/** The stamp, or null for a body this run did not send. */
export function decodeBody(body: string): BodyStamp | null {
  const [prefix, id, intendedAt] = body.split(" ", 3);
  if (prefix !== PREFIX || id === undefined || intendedAt === undefined) return null;
  const stamp = { id: Number(id), intendedAt: Number(intendedAt) };
  return Number.isFinite(stamp.id) && Number.isFinite(stamp.intendedAt) ? stamp : null;
}
