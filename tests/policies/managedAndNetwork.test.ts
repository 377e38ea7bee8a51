import { DOCKER_CASES, NETWORK_CASES, UPSTASH_CASES } from "./cases/managedAndNetwork";
import { describeRuleCases } from "./ruleCases";

describe("Upstash rules", () => describeRuleCases(UPSTASH_CASES));
describe("security group rules", () => describeRuleCases(NETWORK_CASES));
describe("Docker rules", () => describeRuleCases(DOCKER_CASES));
