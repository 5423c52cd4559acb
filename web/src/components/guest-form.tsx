// "Continue as guest": a name, then a guest session. The landing page and the lobby's
// locked composer both offer it; each says where the guest goes next.
import { useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { api } from "../lib/api.ts";
import { useFormAction } from "../lib/use-form-action.ts";
import { FormAlert } from "./form-alert.tsx";

export function GuestForm(props: {
  /** The name field's id (unique on its page). */
  id: string;
  class: string;
  buttonClass: string;
  onGuest: (guest: UserRef) => void;
}) {
  const [name, setName] = useState("");
  const { busy, error, onSubmit } = useFormAction(async () => props.onGuest(await api.guest(name)));
  return (
    <form class={props.class} onSubmit={onSubmit} aria-busy={busy}>
      <div class="field">
        <label for={props.id}>Guest name</label>
        <input
          id={props.id}
          required
          maxLength={32}
          autocomplete="nickname"
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class={props.buttonClass} disabled={busy}>
        Continue as guest
      </button>
      <FormAlert message={error} />
    </form>
  );
}
