import { program } from "./program";

// The module's exports are the stack outputs.
export = program();
