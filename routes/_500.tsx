import { ErrorMessage } from "../components/ErrorMessage.tsx";
import type { ErrorData } from "../lib/fresh/mod.ts";
import { define } from "../lib/state.ts";

/** Every non-404 error page; `message` is already safe to show (generic for 5xx). */
export default define.page<never, ErrorData>(({ data }) => (
  <ErrorMessage
    status={data.status}
    title={data.status >= 500 ? "Something went wrong" : "That did not work"}
    message={data.message}
  />
));
