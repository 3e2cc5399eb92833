import { define } from "../../../lib/state.ts";
import { HttpError } from "../../../lib/fresh/mod.ts";

/**
 * The teaching pages are for teachers and admins. The database decides, course by course, who
 * may change what (private.editable_course_ids()); this only spares others pages they cannot use.
 */
export default define.middleware(function teachersAndAdminsOnly(ctx) {
  const role = ctx.state.session?.app_metadata.user_role;
  if (role !== "teacher" && role !== "admin") {
    throw new HttpError(403, "Only teachers and admins can edit courses.");
  }
  return ctx.next();
});
