import { ErrorMessage } from "../components/ErrorMessage.tsx";
import type { ErrorData } from "../lib/fresh/mod.ts";
import { define } from "../lib/state.ts";

export default define.page<never, ErrorData>(() => (
  <ErrorMessage
    status={404}
    title="We could not find that page"
    message="The link may be old or mistyped. Check the address, or start again from the home page."
  />
));
