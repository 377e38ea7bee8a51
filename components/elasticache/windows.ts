/**
 * ElastiCache's daily snapshot window (`HH:MM-HH:MM`) and weekly maintenance window (`ddd:HH:MM-ddd:HH:MM`),
 * both UTC. Pure: no Pulumi.
 */

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;

function minutesOfDay(time: string): number {
    const [hours, minutes] = time.split(":").map(Number);
    return hours * 60 + minutes;
}

/** A daily window as minutes from midnight: `[start, end)`, where `end` may pass midnight. */
export function dailyWindow(range: string): [number, number] {
    const [from, to] = range.split("-");
    const start = minutesOfDay(from);
    const end = minutesOfDay(to);
    return [start, end > start ? end : end + DAY_MINUTES];
}

/** A weekly window as minutes from Monday 00:00: `[start, end)`, where `end` may pass Sunday midnight. */
export function weeklyWindow(range: string): [number, number] {
    const [from, to] = range.split("-");
    const at = (text: string) => DAYS.indexOf(text.slice(0, 3)) * DAY_MINUTES + minutesOfDay(text.slice(4));
    const start = at(from);
    const end = at(to);
    return [start, end > start ? end : end + WEEK_MINUTES];
}

/** The length of a window in minutes. */
export function windowMinutes([start, end]: [number, number]): number {
    return end - start;
}

/** Whether a daily snapshot window overlaps a weekly maintenance window on any day of the week. */
export function windowsOverlap(snapshotWindow: string, maintenanceWindow: string): boolean {
    const [dailyStart, dailyEnd] = dailyWindow(snapshotWindow);
    const [weeklyStart, weeklyEnd] = weeklyWindow(maintenanceWindow);
    for (let day = -1; day <= 7; day++) {
        const start = day * DAY_MINUTES + dailyStart;
        const end = day * DAY_MINUTES + dailyEnd;
        for (const shift of [-WEEK_MINUTES, 0, WEEK_MINUTES]) {
            if (start < weeklyEnd + shift && weeklyStart + shift < end) {
                return true;
            }
        }
    }
    return false;
}
