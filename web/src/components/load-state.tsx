// What a part of a page shows while its data loads, or when loading failed.

/** Placeholder bars while a list loads; screen readers hear `label` once. */
export function Skeleton(props: { label: string; rows?: number }) {
  const rows = Array.from({ length: props.rows ?? 3 }, (_, i) => i);
  return (
    <div class="skeleton" role="status" aria-live="polite">
      <span class="visually-hidden">{props.label}</span>
      {rows.map((row) => (
        <span key={row} class="skeleton-row" aria-hidden="true" />
      ))}
    </div>
  );
}

/** A failed request: what went wrong, and a way to try again. */
export function LoadError(props: { message: string; onRetry: () => void }) {
  return (
    <div class="load-error" role="alert">
      <p>{props.message}</p>
      <button type="button" class="btn btn-quiet" onClick={props.onRetry}>
        Retry
      </button>
    </div>
  );
}
