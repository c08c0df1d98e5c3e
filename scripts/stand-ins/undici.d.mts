/** Every way the installed undici (at `undiciDir`) no longer matches the stand-ins; empty when they match. */
export function undiciDrift(undiciDir: string): string[];
export function undiciCore(undiciDir: string): string;
export function undiciProxy(undiciDir: string): string;
