/** First in the tab order: jumps past the header and sidebar to the page's main content (id="main"). */
export function SkipLink() {
  return (
    <a class="skip-link" href="#main">
      Skip to content
    </a>
  );
}
