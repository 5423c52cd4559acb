/** An error shown next to a form; role="alert" makes screen readers announce it. */
export function FormAlert(props: { message: string | null; id?: string }) {
  if (!props.message) return null;
  return (
    <p class="form-alert" role="alert" id={props.id}>
      {props.message}
    </p>
  );
}
