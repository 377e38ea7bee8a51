import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "./lib/define";
import { imagePinProblem } from "./lib/images";
import { DOCKER } from "./lib/types";
import { numeric, records, strings } from "./lib/values";
import { envPairs, isCredentialEnvName, isCredentialValue } from "./lib/credentials";

const LOOPBACK = ["127.0.0.1", "::1"];

/** A published port on 0.0.0.0 is reachable from every network the host is on. */
export const dockerPortsLoopback = resourceRule({
    name: "docker-ports-loopback",
    description: "Docker containers publish ports on a loopback address (127.0.0.1 or ::1) only, and never publish all exposed ports.",
    enforcementLevel: "mandatory",
    types: [DOCKER.container],
    check: (props, report) => {
        if (props.publishAllPorts === true) {
            report("publishAllPorts is true: every exposed port is published on 0.0.0.0; publish the ports you need on 127.0.0.1");
        }
        for (const port of records(props.ports)) {
            const ip = typeof port.ip === "string" ? port.ip : "0.0.0.0";
            if (!LOOPBACK.includes(ip)) {
                report(`port ${numeric(port.internal) ?? "?"} is published on ${ip}: set ip to 127.0.0.1`);
            }
        }
    },
});

/** A moving tag gives dev a different Redis than the one the tests ran. */
export const dockerImagePinned = resourceRule({
    name: "docker-image-pinned",
    description: "Docker containers and pulled images are pinned by digest, image id or exact version tag, never latest.",
    enforcementLevel: "mandatory",
    types: [DOCKER.container, DOCKER.remoteImage],
    check: (props, report, _config, args) => {
        if (args.type === DOCKER.remoteImage) {
            const problem = imagePinProblem(props.name);
            if (problem !== undefined) {
                report(problem);
            }
            return;
        }
        // A container fed from a RemoteImage gets its image id only once the image is pulled; the
        // RemoteImage's own name is checked instead.
        if (props.image !== undefined) {
            const problem = imagePinProblem(props.image);
            if (problem !== undefined) {
                report(problem);
            }
        }
    },
});

/** `docker inspect` shows every environment variable to anyone with access to the engine. */
export const dockerNoPlaintextSecretEnv = resourceRule({
    name: "docker-no-plaintext-secret-env",
    description: "Docker containers never carry credentials in environment variables (by name, or a URL with a password or a private key as value); mount them as files.",
    enforcementLevel: "mandatory",
    types: [DOCKER.container],
    check: (props, report) => {
        const names = envPairs(strings(props.envs))
            .filter(([name, value]) => isCredentialEnvName(name) || isCredentialValue(value))
            .map(([name]) => name);
        if (names.length > 0) {
            report(`envs set ${names.join(", ")}: mount credentials as files instead`);
        }
    },
});

/** A privileged container is root on the host. */
export const dockerNotPrivileged = resourceRule({
    name: "docker-not-privileged",
    description: "Docker containers are never privileged and never switch off seccomp, AppArmor or SELinux confinement (securityOpts).",
    enforcementLevel: "mandatory",
    types: [DOCKER.container],
    check: (props, report) => {
        if (props.privileged === true) {
            report("privileged is true: Redis needs no host privileges");
        }
        const unconfined = strings(props.securityOpts).filter((option) => /^(seccomp|apparmor)[=:]unconfined$|^label[=:]disable$/i.test(option));
        if (unconfined.length > 0) {
            report(`securityOpts ${unconfined.join(", ")} switch confinement off: remove them`);
        }
    },
});

/** Every Docker rule. */
export const DOCKER_RULES: ResourceValidationPolicy[] = [dockerPortsLoopback, dockerImagePinned, dockerNoPlaintextSecretEnv, dockerNotPrivileged];
