/** "3 seats left", "1 seat left" or "Full", as a course card and the course page show it. */
export function seatsLeftText(seatsLeft: number): string {
  if (seatsLeft <= 0) return "Full";
  return seatsLeft === 1 ? "1 seat left" : `${seatsLeft} seats left`;
}

/** The seats a course has left, stressed when few are left (a fifth of the capacity or less). */
export function SeatsLeft({ capacity, seatsLeft }: { capacity: number; seatsLeft: number }) {
  const few = seatsLeft * 5 <= capacity;
  return (
    <span data-testid="seats" class={few ? "font-semibold text-amber-800" : undefined}>
      {seatsLeftText(seatsLeft)}
    </span>
  );
}
