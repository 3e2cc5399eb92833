import { inputClass, quietButtonClass } from "./Fields.tsx";

/** "Move to module": a lesson goes to the end of another module of its course (none: no form). */
export function MoveToModule(
  { action, modules }: { action: string; modules: { id: string; title: string }[] },
) {
  if (modules.length === 0) return null;
  return (
    <form method="post" action={action} class="flex flex-wrap items-end gap-2">
      <label class="block flex-1 space-y-1">
        <span class="block text-sm font-semibold">Move to another module</span>
        <select name="module_id" class={inputClass}>
          {modules.map((m) => <option key={m.id} value={m.id}>{m.title}</option>)}
        </select>
      </label>
      <button type="submit" class={quietButtonClass}>Move</button>
    </form>
  );
}
