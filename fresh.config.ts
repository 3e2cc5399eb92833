/** The app's configuration in Fresh's place for it: where the app lives and what it serves. */
import { fileURLToPath } from "node:url";

export default {
  /** Holds `routes/`, `islands/` and `static/`. */
  rootDir: fileURLToPath(new URL(".", import.meta.url)),
};
