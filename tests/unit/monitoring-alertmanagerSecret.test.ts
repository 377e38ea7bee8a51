import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { alertmanagerConfigSecret } from "../../components/monitoring/alertmanagerSecret";
import { leakedSecrets, MOCK_SECRET_MARKER, resolveOutput, runWithMocks } from "../../tools/offline/mockRuntime";

describe("Alertmanager config as a Pulumi secret", () => {
    it("renders inside apply and stays secret end to end", async () => {
        const run = await runWithMocks(() =>
            alertmanagerConfigSecret(
                { receivers: ["slack", "pagerduty"] },
                { slackWebhookUrl: pulumi.secret(`https://hooks.example.test/${MOCK_SECRET_MARKER}`), pagerdutyRoutingKey: pulumi.secret(`${MOCK_SECRET_MARKER}-routing-key`) },
            ),
        );
        assert.equal(run.error, undefined);
        assert.deepEqual(run.resources, []);
        const rendered = await resolveOutput(run.result);
        assert.equal(rendered.secret, true);
        assert.equal(leakedSecrets(rendered.value).length, 1, "the secrets are inside the rendered text, and only there");
        assert.match(String(rendered.value), /routing_key: MOCK-SECRET-routing-key/);
    });

    it("refuses a receiver whose secret is not set, naming the key only", async () => {
        const run = await runWithMocks(() => alertmanagerConfigSecret({ receivers: ["discord"] }, {}));
        assert.match(String(run.error), /receiver "discord" needs the Discord webhook URL alerts are posted to: run pulumi config set --secret redis:discordWebhookUrl/);
    });
});
