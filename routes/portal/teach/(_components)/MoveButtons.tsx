import { quietButtonClass } from "./Fields.tsx";

/**
 * "Up" and "Down" for the item at `place` (1-based) of `count`: two small forms posting the
 * wanted place to `action`, so reordering works without JavaScript.
 */
export function MoveButtons(
  { action, place, count, label }: { action: string; place: number; count: number; label: string },
) {
  return (
    <span class="inline-flex gap-1">
      {place > 1 && (
        <form method="post" action={action}>
          <input type="hidden" name="position" value={place - 1} />
          <button type="submit" class={quietButtonClass} aria-label={`Move ${label} up`}>
            Up
          </button>
        </form>
      )}
      {place < count && (
        <form method="post" action={action}>
          <input type="hidden" name="position" value={place + 1} />
          <button type="submit" class={quietButtonClass} aria-label={`Move ${label} down`}>
            Down
          </button>
        </form>
      )}
    </span>
  );
}
