import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket } from "../../../components/backup/backupBucket";

// A team's own Pulumi program that uses this library next to resources of its own, two of them wrong on
// purpose: Redis opened to the internet in two halves, and SSH opened to the world in the same group. The
// offline runner checks it with `npm run policy -- --program tests/policies/programs/ownProgram.ts`.
const backups = new BackupBucket("team-backups", { project: "team", stack: pulumi.getStack(), retentionDays: 14, protect: true });

const group = new aws.ec2.SecurityGroup("team-redis", {
    description: "Redis clients",
    ingress: [
        { protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] },
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
    ],
});

export const bucketName = backups.bucketName;
export const securityGroupId = group.id;
