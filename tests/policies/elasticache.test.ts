import { ELASTICACHE_CASES } from "./cases/elasticache";
import { describeRuleCases } from "./ruleCases";

describe("ElastiCache rules", () => describeRuleCases(ELASTICACHE_CASES));
