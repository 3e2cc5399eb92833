import type { PersonRow } from "../../../../../lib/people.ts";
import { Messages } from "../../../../../components/Messages.tsx";
import type { RowResult } from "../../../../../lib/auth/bulk_invite.ts";
import { ROLES } from "../../../../../lib/auth/invitation_input.ts";

export interface PeopleData {
  people: PersonRow[];
  notice?: string;
  error?: string;
  /** The invite form's values and per-field problems after a refused submission. */
  values?: Record<string, string>;
  fieldErrors?: Record<string, string[]>;
  upload?: RowResult[];
}

const STATUS_STYLE: Record<PersonRow["status"], string> = {
  invited: "bg-amber-100 text-amber-900",
  active: "bg-emerald-100 text-emerald-900",
  locked: "bg-red-100 text-red-900",
  disabled: "bg-stone-200 text-stone-700",
};

const input = "block w-full rounded border border-stone-400 px-3 py-2";

function Field(
  { name, label, type = "text", data }: {
    name: string;
    label: string;
    type?: string;
    data: PeopleData;
  },
) {
  const problems = data.fieldErrors?.[name];
  return (
    <label class="block space-y-1">
      <span class="font-semibold">{label}</span>
      <input type={type} name={name} value={data.values?.[name] ?? ""} class={input} />
      {problems && <span class="block text-sm text-red-800">{problems.join(" ")}</span>}
    </label>
  );
}

/** Admin "People": invite one person, upload a CSV, see everyone's status, disable, unlock. */
export function PeoplePage({ data }: { data: PeopleData }) {
  const students = data.people.filter((p) => p.role === "student" && p.status !== "disabled");
  return (
    <section class="space-y-8">
      <h1 class="text-2xl font-bold">People</h1>
      <Messages notice={data.notice} error={data.error} />

      <form method="post" action="/portal/admin/people" class="space-y-3 rounded border p-4">
        <h2 class="text-xl font-bold">Invite someone</h2>
        <Field name="fullName" label="Full name" data={data} />
        <Field name="email" label="Email address" type="email" data={data} />
        <Field name="phone" label="Mobile number (with country code)" type="tel" data={data} />
        <label class="block space-y-1">
          <span class="font-semibold">Role</span>
          <select name="role" class={input}>
            {ROLES.map((role) => (
              <option value={role} selected={data.values?.role === role}>{role}</option>
            ))}
          </select>
        </label>
        <label class="block space-y-1">
          <span class="font-semibold">Children (for a parent)</span>
          <select name="studentIds" multiple size={4} class={input}>
            {students.map((s) => <option key={s.id} value={s.id}>{s.full_name}</option>)}
          </select>
        </label>
        <button type="submit" class="rounded bg-emerald-800 px-5 py-2 font-semibold text-white">
          Send invitation
        </button>
      </form>

      <form
        method="post"
        action="/portal/admin/people/upload"
        enctype="multipart/form-data"
        class="space-y-3 rounded border p-4"
      >
        <h2 class="text-xl font-bold">Invite from a CSV file</h2>
        <p class="text-sm text-stone-600">
          Columns: full_name, email, phone, role, children (a parent's children's emails, separated
          by ;). Uploading the same file again adds nobody twice.
        </p>
        <input type="file" name="file" accept=".csv,text/csv" required />
        <button type="submit" class="rounded bg-emerald-800 px-5 py-2 font-semibold text-white">
          Upload
        </button>
      </form>

      {data.upload && (
        <table class="w-full text-left text-sm" data-testid="upload-results">
          <caption class="text-left font-bold">Upload results</caption>
          <thead>
            <tr>
              <th>Row</th>
              <th>Result</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {data.upload.map((r) => (
              <tr>
                <td>{r.row}</td>
                <td>{r.status}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <table class="w-full text-left text-sm" data-testid="people">
        <caption class="text-left font-bold">Everyone in your school</caption>
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Contact</th>
            <th>Status</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {data.people.map((p) => (
            <tr class="border-t">
              <td class="py-2">{p.full_name}</td>
              <td>{p.role}</td>
              <td>{p.email ?? p.phone}</td>
              <td>
                <span class={`rounded px-2 py-1 ${STATUS_STYLE[p.status]}`}>{p.status}</span>
              </td>
              <td class="space-x-2">
                {p.status === "locked" && (
                  <form method="post" action={`/portal/admin/people/${p.id}/unlock`} class="inline">
                    <button type="submit" class="underline">Unlock</button>
                  </form>
                )}
                {p.status !== "disabled" && (
                  <form
                    method="post"
                    action={`/portal/admin/people/${p.id}/disable`}
                    class="inline"
                  >
                    <button type="submit" class="underline">Disable</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
