import { useMemo } from "preact/hooks";
import { linkPieces, mightHaveLinks } from "../lib/links.ts";
import { useLinkifier } from "../lib/use-linkifier.ts";

/**
 * A message's text with its links made clickable: text nodes and <a> elements built from
 * linkifyjs's matches, never HTML. Links open in a new tab without handing the page over
 * (noopener), without a referrer, and without vouching for the target (nofollow).
 */
export function MessageBody(props: { text: string }) {
  const find = useLinkifier(mightHaveLinks(props.text));
  const pieces = useMemo(
    () => (find ? linkPieces(props.text, find) : [{ kind: "text" as const, text: props.text }]),
    [props.text, find],
  );
  return (
    <>
      {pieces.map((piece, index) =>
        piece.kind === "text" ? (
          piece.text
        ) : (
          <a
            key={index}
            class="message-link"
            href={piece.href}
            target="_blank"
            rel="noopener noreferrer nofollow"
          >
            {piece.text}
          </a>
        ),
      )}
    </>
  );
}
