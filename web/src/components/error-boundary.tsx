import { Component, type ComponentChildren } from "preact";

/** The last line of defence: a bug in rendering shows a message and a way out, never a blank page. */
export class ErrorBoundary extends Component<{ children: ComponentChildren }, { failed: boolean }> {
  override state = { failed: false };

  static override getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error("Chattr crashed while rendering", error);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main id="main" tabIndex={-1} class="page page-narrow">
        <section class="card" role="alert">
          <h1>Something went wrong</h1>
          <p>Chattr hit an unexpected problem. Reloading the page usually fixes it.</p>
          <button type="button" class="btn btn-primary" onClick={() => location.reload()}>
            Reload
          </button>
        </section>
      </main>
    );
  }
}
