import { Field, type FormState } from "./Fields.tsx";

/** A course's details: the same fields on "New course" and on the course editor. */
export function CourseFields(
  { form, course }: {
    form: FormState;
    course?: {
      code: string;
      title: string;
      subject: string;
      grade_level: string;
      description: string;
      capacity: number;
      enrolled?: number;
    };
  },
) {
  return (
    <>
      <Field
        name="title"
        label="Title"
        form={form}
        value={course?.title}
        required
        maxLength={200}
      />
      <Field
        name="code"
        label="Code"
        hint="Short and unique in your school, e.g. MATH-10A."
        form={form}
        value={course?.code}
        required
        maxLength={32}
      />
      <Field
        name="subject"
        label="Subject"
        hint="As students filter the catalog, e.g. mathematics."
        form={form}
        value={course?.subject}
        required
        maxLength={60}
      />
      <Field
        name="grade_level"
        label="Grade"
        hint="e.g. 10, Form 2 or Grade 11."
        form={form}
        value={course?.grade_level}
        required
        maxLength={20}
      />
      <Field
        name="description"
        label="Description"
        form={form}
        value={course?.description}
        multiline
        maxLength={10_000}
      />
      <Field
        name="capacity"
        label="Capacity (seats)"
        hint={course?.enrolled
          ? `${course.enrolled} enrolled now; the capacity cannot be lower.`
          : "The most students enrolled at once."}
        form={form}
        type="number"
        min={1}
        max={10_000}
        value={course?.capacity ?? 30}
        required
      />
    </>
  );
}
