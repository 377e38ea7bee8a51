import { sweep } from "./applier";
import { Engine } from "./engineApi";
(async () => { const t = Date.now(); console.error(await sweep(new Engine()), Date.now() - t); })();
