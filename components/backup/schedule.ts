/**
 * Reading the backup schedule, a five-field cron expression, as far as alerting needs: the longest time
 * between two runs, which decides when a backup is overdue.
 */

const FIELDS = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12 },
    { name: "day of week", min: 0, max: 7 },
] as const;

/** One parsed cron field: the values it allows, and whether it was `*` (which matters for day matching). */
interface CronField {
    values: Set<number>;
    any: boolean;
}

function parseField(text: string, field: (typeof FIELDS)[number], expr: string): CronField {
    const values = new Set<number>();
    for (const part of text.split(",")) {
        const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
        if (!match) {
            throw new Error(`backup schedule "${expr}": ${field.name} "${text}" is not supported: use numbers, ranges (a-b), lists (a,b), '*' and steps (*/n)`);
        }
        const start = match[1] === "*" ? field.min : Number(match[2]);
        const end = match[1] === "*" ? field.max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? field.max : start;
        const step = match[4] !== undefined ? Number(match[4]) : 1;
        if (start < field.min || end > field.max || start > end || step < 1) {
            throw new Error(`backup schedule "${expr}": ${field.name} "${text}" is out of range ${field.min}-${field.max}`);
        }
        for (let value = start; value <= end; value += step) {
            values.add(field.name === "day of week" && value === 7 ? 0 : value);
        }
    }
    return { values, any: text === "*" };
}

/**
 * Parses a five-field cron expression (minute hour day-of-month month day-of-week) into the values each
 * field allows.
 *
 * @throws Error naming the expression and the field when a field is malformed, out of range or uses names
 */
export function parseCron(expr: string): CronField[] {
    const parts = expr.trim().split(/\s+/);
    if (parts.length !== 5) {
        throw new Error(`backup schedule "${expr}": must have five fields (minute hour day-of-month month day-of-week)`);
    }
    return parts.map((part, index) => parseField(part, FIELDS[index], expr));
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The longest time between two consecutive runs of a cron schedule, in seconds, over two calendar years
 * (a leap year included), in UTC. `0 *\/6 * * *` gives 21600; `0 2 * * *` gives 86400.
 *
 * @throws Error when the expression is not a supported cron expression or never runs
 */
export function longestCronGapSeconds(expr: string): number {
    const [minutes, hours, daysOfMonth, months, daysOfWeek] = parseCron(expr);
    const timesOfDay = [...hours.values].sort((a, b) => a - b).flatMap((hour) => [...minutes.values].sort((a, b) => a - b).map((minute) => (hour * 60 + minute) * 60));
    // Standard cron: when both day fields are restricted, a day matches if either does.
    const dayMatches = (date: Date): boolean => {
        const dom = daysOfMonth.values.has(date.getUTCDate());
        const dow = daysOfWeek.values.has(date.getUTCDay());
        if (daysOfMonth.any || daysOfWeek.any) {
            return dom && dow;
        }
        return dom || dow;
    };
    const start = Date.UTC(2024, 0, 1);
    const runs: number[] = [];
    for (let day = 0; day < 731; day += 1) {
        const date = new Date(start + day * DAY_MS);
        if (months.values.has(date.getUTCMonth() + 1) && dayMatches(date)) {
            const dayStart = (start + day * DAY_MS) / 1000;
            runs.push(...timesOfDay.map((offset) => dayStart + offset));
        }
    }
    if (runs.length < 2) {
        throw new Error(`backup schedule "${expr}": runs less than twice in two years`);
    }
    let longest = 0;
    for (let index = 1; index < runs.length; index += 1) {
        longest = Math.max(longest, runs[index] - runs[index - 1]);
    }
    return longest;
}
