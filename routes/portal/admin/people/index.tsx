import { define } from "../../../../lib/state.ts";
import { page } from "../../../../lib/fresh/mod.ts";
import { listPeople } from "../../../../lib/people.ts";
import { InvitationInput } from "../../../../lib/auth/invitation_input.ts";
import { invite } from "../../../../lib/auth/invitations.ts";
import { fieldErrors } from "../../../../lib/http/field_errors.ts";
import { DbError } from "../../../../lib/db/errors.ts";
import { dbErrorToHttp } from "../../../../lib/app_errors.ts";
import { type PeopleData, PeoplePage } from "./(_components)/PeoplePage.tsx";

const NOTICES: Record<string, string> = {
  disabled: "That person can no longer sign in.",
  unlocked: "That account is unlocked.",
};

export const handler = define.handlers({
  async GET(ctx) {
    const people = await listPeople(ctx.state.db, ctx.state.session!);
    return page<PeopleData>({ people, notice: NOTICES[ctx.url.searchParams.get("done") ?? ""] });
  },
  async POST(ctx) {
    const admin = ctx.state.session!;
    const form = await ctx.req.formData();
    const values = Object.fromEntries(
      ["fullName", "email", "phone", "role"].map((k) => [k, String(form.get(k) ?? "")]),
    );
    const refused = async (status: number, extra: Partial<PeopleData>) =>
      page<PeopleData>({ people: await listPeople(ctx.state.db, admin), values, ...extra }, {
        status,
      });
    const parsed = InvitationInput.safeParse({
      ...values,
      studentIds: form.getAll("studentIds").map(String),
    });
    if (!parsed.success) return refused(400, { fieldErrors: fieldErrors(parsed.error) });
    try {
      const outcome = await invite(ctx.state.db, admin, parsed.data);
      if (!outcome.ok) return refused(422, { error: outcome.message });
    } catch (error) {
      if (error instanceof DbError && error.code === "23505") {
        return refused(409, { fieldErrors: { email: ["Someone in this school has this email."] } });
      }
      const http = dbErrorToHttp(error);
      if (http && http.status < 500) return refused(http.status, { error: http.message });
      throw error;
    }
    const people = await listPeople(ctx.state.db, admin);
    return page<PeopleData>({ people, notice: `Invitation sent to ${parsed.data.fullName}.` });
  },
});

export default define.page<typeof handler>(({ data }) => <PeoplePage data={data} />);
