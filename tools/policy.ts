import { parseCliArgs } from "./offline/cliArgs";
import { formatPolicyReport, policyReport, policyReportJson, reportFails } from "./offline/policyReport";

// npm run policy -- --stack <name> [--json]
// Runs the stack's real program under the mock runtime and checks every registration against the pack.
// Exit codes: 0 passed, 1 mandatory violations, 2 not checked (program failed, bad usage), 3 not checked
// because the stack's backend is not available yet.
async function main(): Promise<number> {
    let options;
    try {
        options = parseCliArgs(process.argv.slice(2), ["json"]);
    } catch (error) {
        console.error(`policy: ${(error as Error).message}`);
        return 2;
    }
    const report = await policyReport(options.stack);
    console.log(formatPolicyReport(report));
    if (options.json) {
        console.log(policyReportJson(report));
    }
    if (report.status !== "ok") {
        return report.status === "unavailable" ? 3 : 2;
    }
    return reportFails(report) ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (error) => {
        console.error(`policy: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(2);
    },
);
