import { parsePolicyArgs, POLICY_HELP } from "./offline/policyArgs";

// npm run policy -- --stack <name> | --stack-file <path> | --program <file> [--policy-config <path>] [--json]
// Runs a program under the mock runtime and checks every registration against the pack (see --help).
const EXIT = { passed: 0, failed: 1, error: 1, unavailable: 3 } as const;

async function main(): Promise<number> {
    let command;
    try {
        // npm run starts us in the project root; paths the user typed are relative to where they ran npm.
        command = parsePolicyArgs(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
    } catch (error) {
        console.error(`policy: ${(error as Error).message}`);
        return 2;
    }
    if (command.help) {
        console.log(POLICY_HELP);
        return 0;
    }
    // Loaded only now, so --help and usage errors answer without loading Pulumi and the pack.
    const { formatPolicyReport, policyReportForTarget, policyReportJson, reportVerdict } = await import("./offline/policyReport");
    console.error(`policy: checking stack ${command.target.stack}${command.target.program === undefined ? "" : ` (program ${command.target.program})`}...`);
    const report = await policyReportForTarget(command.target, { policyConfigFile: command.policyConfigFile, shipped: command.shipped });
    if (command.json) {
        // Pure JSON on stdout; the human table goes to stderr for logs.
        console.error(formatPolicyReport(report));
        console.log(policyReportJson(report));
    } else {
        console.log(formatPolicyReport(report));
    }
    return EXIT[reportVerdict(report)];
}

main().then(
    (code) => process.exit(code),
    (error) => {
        console.error(`policy: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(2);
    },
);
