export declare const ROOT: string;
export declare const BUNDLE: string;
export declare function scanMessages(root?: string): { messages: Map<string, string>; problems: string[] };
export declare function bundleText(messages: Map<string, string>): string;
