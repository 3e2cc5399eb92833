/** A course's progress on the lesson page: the student's own, or each enrolled child's. */
export interface ProgressLine {
  studentId: string;
  studentName: string;
  lessonsTotal: number;
  lessonsCompleted: number;
  percent: number;
}

export function CourseProgress({ lines, own }: { lines: ProgressLine[]; own: boolean }) {
  if (lines.length === 0) return null;
  return (
    <section class="space-y-2" aria-label="Course progress" data-testid="course-progress">
      <h2 class="font-semibold">Course progress</h2>
      {lines.map((p) => (
        <div key={p.studentId} class="space-y-1">
          <progress
            class="block w-full"
            max={100}
            value={p.percent}
            aria-label={`${own ? "Your" : `${p.studentName}'s`} progress: ${p.percent}%`}
          >
            {p.percent}%
          </progress>
          <p class="text-sm text-stone-700">
            {own ? "" : `${p.studentName}: `}
            {p.lessonsCompleted} of {p.lessonsTotal} lessons · {p.percent}%
          </p>
        </div>
      ))}
    </section>
  );
}
