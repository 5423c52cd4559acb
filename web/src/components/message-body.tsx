import { useMemo } from "preact/hooks";
import { linkPieces } from "../lib/links.ts";

/**
 * A message's text with its links made clickable: text nodes and <a> elements built from
 * linkifyjs's matches, never HTML. Links open in a new tab without handing the page over
 * (noopener), without a referrer, and without vouching for the target (nofollow).
 */
export function MessageBody(props: { text: string }) {
  const pieces = useMemo(() => linkPieces(props.text), [props.text]);
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
