// linkifyjs, loaded the first time a message might hold a link: it is a third of the app's
// script once compressed, and building its scanner (its list of top-level domains) is a
// long task on a slow phone; a room of plain talk needs neither.
import { useEffect, useState } from "preact/hooks";
import type { FindLinks } from "./links.ts";

let loaded: FindLinks | null = null;
let loading: Promise<FindLinks> | null = null;

function load(): Promise<FindLinks> {
  loading ??= import("linkifyjs").then((linkify) => {
    loaded = linkify.find;
    return linkify.find;
  });
  return loading;
}

/** linkifyjs's `find` once it is here (loading it when `wanted`), else null: show plain text. */
export function useLinkifier(wanted: boolean): FindLinks | null {
  const [find, setFind] = useState<FindLinks | null>(() => loaded);
  useEffect(() => {
    if (!wanted || find) return;
    let live = true;
    load().then(
      (ready) => live && setFind(() => ready),
      // Offline or a failed chunk: the text stays plain, which loses nothing.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [wanted, find]);
  return find;
}
