const field = "block w-full rounded border border-stone-400 px-3 py-2";

/** "Choose a password" and its confirmation, with the policy said up front. */
export function NewPasswordFields({ name, id }: { name: string; id?: string }) {
  return (
    <>
      <label class="block space-y-1">
        <span class="font-semibold">Choose a password</span>
        <span class="block text-sm text-stone-600">
          At least 8 characters, with a capital letter and a digit.
        </span>
        <input
          id={id}
          type="password"
          name={name}
          required
          minLength={8}
          autocomplete="new-password"
          class={field}
        />
      </label>
      <label class="block space-y-1">
        <span class="font-semibold">The same password again</span>
        <input type="password" name="confirm" required autocomplete="new-password" class={field} />
      </label>
    </>
  );
}
