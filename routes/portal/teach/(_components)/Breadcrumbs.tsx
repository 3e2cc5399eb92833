/** Where a teaching page sits: My teaching › course › module. */
export function Breadcrumbs(
  { course, module }: {
    course?: { id: string; title: string };
    module?: { id: string; title: string };
  },
) {
  return (
    <nav aria-label="Breadcrumbs" class="text-sm">
      <a href="/portal/teach" class="text-emerald-800 underline">My teaching</a>
      {course && (
        <>
          {" › "}
          <a href={`/portal/teach/${course.id}`} class="text-emerald-800 underline">
            {course.title}
          </a>
        </>
      )}
      {course && module && (
        <>
          {" › "}
          <a
            href={`/portal/teach/${course.id}/modules/${module.id}`}
            class="text-emerald-800 underline"
          >
            {module.title}
          </a>
        </>
      )}
    </nav>
  );
}
