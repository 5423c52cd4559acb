// Preact's core has no `memo` (preact/compat has one, bundled with the rest of compat): a
// component that renders again only when `same` says its props changed. For the rows of a
// long list, which every state change of the list would otherwise render again.
import { Component, type FunctionComponent, h } from "preact";

export function memo<P extends object>(
  render: FunctionComponent<P>,
  same: (before: Readonly<P>, after: Readonly<P>) => boolean,
): FunctionComponent<P> {
  class Memo extends Component<P> {
    override shouldComponentUpdate(next: Readonly<P>): boolean {
      return !same(this.props, next);
    }

    override render(props: P) {
      return h(render, props);
    }
  }
  return Memo as unknown as FunctionComponent<P>;
}
