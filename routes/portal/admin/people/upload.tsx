import { define } from "../../../../lib/state.ts";
import { page } from "../../../../lib/fresh/mod.ts";
import { listPeople } from "../../../../lib/people.ts";
import { inviteFromCsv } from "../../../../lib/auth/bulk_invite.ts";
import { CsvError } from "../../../../lib/csv.ts";
import { type PeopleData, PeoplePage } from "./(_components)/PeoplePage.tsx";

/** The CSV upload form's target: the People page again, with a result for every row. */
export const handler = define.handlers({
  async POST(ctx) {
    const admin = ctx.state.session!;
    const file = (await ctx.req.formData()).get("file");
    let upload;
    let error;
    if (!(file instanceof File) || file.size === 0) error = "Choose a CSV file to upload.";
    else {
      try {
        upload = await inviteFromCsv(ctx.state.db, admin, await file.text());
      } catch (e) {
        if (!(e instanceof CsvError)) throw e;
        error = `The file is not valid CSV: ${e.message}`;
      }
    }
    const people = await listPeople(ctx.state.db, admin);
    return page<PeopleData>({ people, upload, error }, { status: error ? 400 : 200 });
  },
});

export default define.page<typeof handler>(({ data }) => <PeoplePage data={data} />);
