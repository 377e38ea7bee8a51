import { strict as assert } from "node:assert";
import { CLOUDWATCH_WIDGETS, cloudWatchDashboard, cloudWatchDashboardBody } from "../../components/monitoring/cloudwatchDashboard";

describe("ElastiCache CloudWatch dashboard", () => {
    const input = { replicationGroupId: "orders-redis", nodeIds: ["orders-redis-002", "orders-redis-001"], region: "eu-west-1" };

    it("draws every widget for every node, sorted, in the group's region", () => {
        const { widgets } = cloudWatchDashboard(input);
        assert.equal(widgets.length, CLOUDWATCH_WIDGETS.length + 1);
        assert.deepEqual(widgets[0], {
            type: "text",
            x: 0,
            y: 0,
            width: 24,
            height: 1,
            properties: { markdown: "## ElastiCache orders-redis (eu-west-1): 2 nodes" },
        });
        assert.deepEqual(widgets[4], {
            type: "metric",
            x: 0,
            y: 7,
            width: 8,
            height: 6,
            properties: {
                title: "Commands",
                region: "eu-west-1",
                view: "timeSeries",
                stacked: false,
                stat: "Sum",
                period: 60,
                metrics: [
                    ["AWS/ElastiCache", "GetTypeCmds", "CacheClusterId", "orders-redis-001", { label: "GetTypeCmds orders-redis-001" }],
                    ["AWS/ElastiCache", "GetTypeCmds", "CacheClusterId", "orders-redis-002", { label: "GetTypeCmds orders-redis-002" }],
                    ["AWS/ElastiCache", "SetTypeCmds", "CacheClusterId", "orders-redis-001", { label: "SetTypeCmds orders-redis-001" }],
                    ["AWS/ElastiCache", "SetTypeCmds", "CacheClusterId", "orders-redis-002", { label: "SetTypeCmds orders-redis-002" }],
                ],
                yAxis: { left: { label: "count", showUnits: false } },
            },
        });
        const cells = new Set<string>();
        for (const widget of widgets) {
            const { x, y, width, height } = widget as { x: number; y: number; width: number; height: number };
            assert.ok(x + width <= 24);
            for (let row = y; row < y + height; row += 1) {
                for (let column = x; column < x + width; column += 1) {
                    assert.ok(!cells.has(`${column},${row}`), "widgets do not overlap");
                    cells.add(`${column},${row}`);
                }
            }
        }
        const titles = widgets.slice(1).map((widget) => (widget.properties as { title: string }).title);
        for (const topic of ["Engine CPU", "Memory used", "Commands", "Command latency", "Hit ratio", "Connections", "Evictions", "Replication lag", "Snapshots in progress"]) {
            assert.ok(titles.includes(topic), topic);
        }
    });

    it("serialises to the JSON text CloudWatch takes", () => {
        assert.deepEqual(JSON.parse(cloudWatchDashboardBody(input)), cloudWatchDashboard(input));
    });

    const invalid: [string, typeof input, RegExp][] = [
        ["a bad region", { ...input, region: "europe" }, /region "europe": must be an AWS region/],
        ["no nodes", { ...input, nodeIds: [] }, /nodeIds: must list at least one cache cluster id/],
        ["a node twice", { ...input, nodeIds: ["a-1", "a-1"] }, /lists a node twice/],
        ["a bad group id", { ...input, replicationGroupId: "1abc" }, /replicationGroupId "1abc"/],
    ];
    for (const [title, bad, message] of invalid) {
        it(`refuses ${title}`, () => {
            assert.throws(() => cloudWatchDashboardBody(bad), message);
        });
    }
});
