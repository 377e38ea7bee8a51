import * as pulumi from "@pulumi/pulumi";
import { redisProgram } from "./program";

// The module's exports are the stack outputs.
export = redisProgram(pulumi.getStack(), pulumi.runtime.allConfig());
