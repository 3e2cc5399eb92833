import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

export interface OtpInputProps {
  /** The form field the code is sent as. */
  name: string;
  length: number;
  /** The id of the field to move to once the code is complete. */
  nextFieldId?: string;
}

/**
 * The code from an invitation. Without JavaScript it is one numeric field. Hydrated, it is one
 * box per digit: typing moves on, backspace moves back, pasting a code fills every box, and a
 * complete code moves to the password (or sends the form when the password is already filled).
 * Both forms are in the server markup (one `hidden`), so their classes get CSS.
 */
export default function OtpInput({ name, length, nextFieldId }: OtpInputProps) {
  const digits = useSignal<string[]>(Array(length).fill(""));
  const enhanced = useSignal(false);
  const boxes = useRef<(HTMLInputElement | null)[]>([]);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    enhanced.value = true;
  }, []);

  function fill(from: number, typed: string) {
    const incoming = typed.replace(/\D/g, "").slice(0, length - from).split("");
    const next = [...digits.value];
    incoming.forEach((d, i) => next[from + i] = d);
    digits.value = next;
    const filled = next.findIndex((d) => d === "");
    if (filled === -1) {
      // The form may be sent right away, before Preact re-renders the field from the signal.
      if (field.current) field.current.value = next.join("");
      return complete(boxes.current[length - 1]);
    }
    boxes.current[Math.min(from + incoming.length, length - 1)]?.focus();
  }

  function complete(last: HTMLInputElement | null | undefined) {
    const form = last?.form;
    const next = nextFieldId ? document.getElementById(nextFieldId) as HTMLInputElement : null;
    const passwordsFilled = form &&
      [...form.querySelectorAll<HTMLInputElement>('input[type="password"]')].every((p) => p.value);
    if (form && passwordsFilled) form.requestSubmit();
    else next?.focus();
  }

  function onKeyDown(i: number, event: KeyboardEvent) {
    if (event.key === "Backspace" && !digits.value[i] && i > 0) boxes.current[i - 1]?.focus();
  }

  const code = digits.value.join("");
  return (
    <div data-testid="otp" data-enhanced={String(enhanced.value)}>
      <input
        ref={field}
        type={enhanced.value ? "hidden" : "text"}
        name={name}
        value={enhanced.value ? code : undefined}
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern={`[0-9]{${length}}`}
        maxLength={length}
        required
        aria-label={`${length}-digit code`}
        class="block w-40 rounded border border-stone-400 px-3 py-2 text-2xl tracking-widest"
      />
      <div hidden={!enhanced.value} class="flex gap-2" role="group" aria-label="Code">
        {digits.value.map((digit, i) => (
          <input
            key={i}
            ref={(el) => {
              boxes.current[i] = el;
            }}
            value={digit}
            inputMode="numeric"
            autocomplete={i === 0 ? "one-time-code" : "off"}
            maxLength={length}
            aria-label={`Digit ${i + 1}`}
            data-testid={`otp-${i}`}
            onInput={(e) => {
              const input = e.currentTarget;
              const typed = input.value.replace(/\D/g, "");
              input.value = digits.value[i];
              if (typed.length >= length) fill(0, typed); // the phone's code autofill
              else if (typed) fill(i, typed.slice(-1)); // the digit just typed
              else digits.value = digits.value.map((d, j) => (j === i ? "" : d));
            }}
            onPaste={(e) => {
              e.preventDefault();
              fill(0, e.clipboardData?.getData("text") ?? "");
            }}
            onKeyDown={(e) => onKeyDown(i, e)}
            class="h-12 w-10 rounded border border-stone-400 text-center text-2xl"
          />
        ))}
      </div>
    </div>
  );
}
