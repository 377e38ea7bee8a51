/**
 * Password rotation without a failed command: raising a user's `generation` creates a new password and
 * makes it the current one, while `keepPrevious` keeps the old one valid until every client has switched.
 * Each generation is its own resource with a stable name, so a rotation never replaces a password that
 * clients still use.
 */

/** The rotation state of one user. */
export interface RotationState {
    /** Counts rotations, from 1. */
    generation: number;
    /** Whether the previous generation's password stays valid. */
    keepPrevious: boolean;
}

/** The first state of every user. */
export const INITIAL_ROTATION: RotationState = { generation: 1, keepPrevious: false };

/** The password generations that are valid for a user: the current one first, then the previous one if kept. */
export function validGenerations(state: RotationState = INITIAL_ROTATION): number[] {
    if (!Number.isInteger(state.generation) || state.generation < 1) {
        throw new Error(`password generation ${state.generation}: must be a whole number from 1`);
    }
    return state.keepPrevious && state.generation > 1 ? [state.generation, state.generation - 1] : [state.generation];
}

/** The name of the password resource of one user and generation. */
export function passwordResourceName(component: string, user: string, generation: number): string {
    return `${component}-${user}-password-g${generation}`;
}
