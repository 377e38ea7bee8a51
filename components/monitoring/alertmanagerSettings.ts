import type { MonitoringSettings } from "../settings";
import type { AlertmanagerSettings } from "./alertmanagerConfig";

/**
 * The Alertmanager settings of a stack, from `redis:monitoring` (receivers, `emailTo`, `smtp`). Pure; the
 * secrets come separately (see `alertmanagerConfigSecret`).
 *
 * @throws Error when the email receiver is chosen without `emailTo` or `smtp` (the config check refuses that
 *   earlier; this guards direct callers)
 */
export function alertmanagerSettingsFor(monitoring: MonitoringSettings): AlertmanagerSettings {
    if (!monitoring.receivers.includes("email")) {
        return { receivers: [...monitoring.receivers] };
    }
    if (monitoring.emailTo === undefined || monitoring.smtp === undefined) {
        throw new Error('monitoring.receivers includes "email": monitoring.emailTo and monitoring.smtp are required');
    }
    return {
        receivers: [...monitoring.receivers],
        email: {
            to: monitoring.emailTo,
            from: monitoring.smtp.from,
            smarthost: monitoring.smtp.smarthost,
            ...(monitoring.smtp.username === undefined ? {} : { username: monitoring.smtp.username }),
        },
    };
}
