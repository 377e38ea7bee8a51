import { DEFAULT_RUNBOOK_BASE_URL } from "./monitoring/runbooks";
import type { AclUserSettings, AclSettings, BackupSettings, MonitoringSettings, TlsSettings } from "./settings";

/**
 * The library's defaults for the settings groups every backend shares. The stack files' schema applies the
 * same values (a unit test keeps the two equal), so a program and a stack with the same choices deploy the
 * same thing.
 */

/** TLS on, server certificates for a year, renewed 30 days before expiry. */
export const DEFAULT_TLS: Readonly<TlsSettings> = {
    enabled: true,
    mtls: false,
    validityDays: 365,
    earlyRenewalDays: 30,
    dnsNames: [],
    ipAddresses: [],
    includeLocalhost: false,
};

/** One application user, `app`, with every key and channel. */
export const DEFAULT_APP_USER: Readonly<AclUserSettings> = { name: "app", role: "app", keys: ["*"], channels: ["*"] };

/** Passwords of 40 letters and digits, no rotation. */
export const DEFAULT_ACL: Readonly<AclSettings> = { users: [DEFAULT_APP_USER], passwordLength: 40, rotation: {} };

/** Exporters, bundled Prometheus and Alertmanager, no receiver, 15 days of samples. */
export const DEFAULT_MONITORING: Readonly<MonitoringSettings> = { enabled: true, mode: "bundled", receivers: [], operatorLabels: {}, retentionDays: 15, runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL };

/** A backup every 6 hours, kept 14 days, to the platform's default target. */
export const DEFAULT_BACKUP: Readonly<BackupSettings> = { enabled: true, schedule: "0 */6 * * *", retentionDays: 14, exportSnapshots: false, target: "auto" };
