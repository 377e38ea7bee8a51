import { ACCESS_CASES } from "./cases/access";
import { AWS_SERVICE_CASES } from "./cases/awsServices";
import { EXPOSURE_CASES } from "./cases/exposure";
import { OPERATIONS_CASES } from "./cases/operations";
import { POD_SECURITY_CASES } from "./cases/podSecurity";
import { describeRuleCases } from "./ruleCases";

describe("Kubernetes exposure rules (Services, NetworkPolicies)", () => describeRuleCases(EXPOSURE_CASES));
describe("pod and container security rules", () => describeRuleCases(POD_SECURITY_CASES));
describe("authentication and privilege rules", () => describeRuleCases(ACCESS_CASES));
describe("KMS, CloudWatch Logs and cache-cluster rules", () => describeRuleCases(AWS_SERVICE_CASES));
describe("operations rules", () => describeRuleCases(OPERATIONS_CASES));
