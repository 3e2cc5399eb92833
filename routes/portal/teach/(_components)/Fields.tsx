/** Form fields of the teaching pages: a label, the value sent back after a refusal, its problems. */
import type { ComponentChildren } from "preact";

export const inputClass = "block w-full rounded border border-stone-400 px-3 py-2";
export const buttonClass = "rounded bg-emerald-800 px-4 py-2 font-semibold text-white";
export const quietButtonClass = "rounded border border-stone-400 px-3 py-1 text-sm font-semibold";
export const dangerButtonClass = "rounded bg-red-800 px-4 py-2 font-semibold text-white";

/** What a refused form shows again: the values sent and the problems per field. */
export interface FormState {
  values?: Record<string, string>;
  fieldErrors?: Record<string, string[]>;
}

function Problems({ name, form, id = name }: { name: string; form: FormState; id?: string }) {
  const problems = form.fieldErrors?.[name];
  if (!problems?.length) return null;
  return (
    <span id={`${id}-problem`} class="block text-sm text-red-800" data-field-error={name}>
      {problems.join(" ")}
    </span>
  );
}

interface FieldProps {
  name: string;
  /** The element id, when two forms on a page share a field name. */
  id?: string;
  label: string;
  form: FormState;
  hint?: ComponentChildren;
  type?: "text" | "number";
  value?: string | number;
  required?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  multiline?: boolean;
  rows?: number;
}

/** One labelled input (or textarea) with its hint and its problems, tied by aria-describedby. */
export function Field(props: FieldProps) {
  const { name, label, form, hint } = props;
  const id = props.id ?? name;
  const value = form.values?.[name] ?? (props.value === undefined ? "" : String(props.value));
  const invalid = !!form.fieldErrors?.[name]?.length;
  const common = {
    name,
    id,
    required: props.required,
    maxLength: props.maxLength,
    class: inputClass,
    "aria-invalid": invalid ? (true as const) : undefined,
    "aria-describedby": invalid ? `${id}-problem` : undefined,
  };
  return (
    <label class="block space-y-1">
      <span class="font-semibold">{label}</span>
      {hint && <span class="block text-sm text-stone-600">{hint}</span>}
      {props.multiline ? <textarea {...common} rows={props.rows ?? 6} value={value} /> : (
        <input
          {...common}
          type={props.type ?? "text"}
          value={value}
          min={props.min}
          max={props.max}
        />
      )}
      <Problems name={name} form={form} id={id} />
    </label>
  );
}

export { Problems };
